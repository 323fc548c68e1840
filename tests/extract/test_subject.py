"""Whose incident it is, on the kinds of sentence that make a wrong subject tempting.

Every organisation here is invented. Each row is a short text of one kind (the subject of an
announcement beside its contractor, its vendor, the police, a parent group or a place; a bare
name with no legal form; a head of a body; a signature) and the core name the parser must
pick. A tuple means any of its members is right.
"""
from __future__ import annotations

import pytest

from app.extract import parse_text

CASES: list[tuple[str, str, str | tuple[str, ...] | None]] = [
    # -- a title that opens with a thing, not a body --
    (
        "title_opens_with_a_document",
        "掲載日:R6.2.9\n白樺ヶ丘市 健康福祉部 障がい福祉課\n\n障害福祉サービス受給者証の写しのFAX誤送信について\n\n"
        "本市障がい福祉課において、書類を誤って別の事業者へFAX送信する事案が発生しました。\n"
        "誤送信した情報 利用者3名分の氏名、障害支援区分\n",
        "白樺ヶ丘市",
    ),
    # -- a shop's name that ends in its company's name --
    (
        "shop_name_ending_in_company_name",
        "洋菓子店「パティスリー・ミモザ」を営む株式会社ミモザ(神戸市)の通販サイトで、カード情報が流出した可能性がある。"
        "同社のホームページに2020年10月2日、お詫びが掲載された。",
        "ミモザ",
    ),
    # -- a descriptor glued before the name --
    (
        "industry_company_glued",
        "福井市の家具製造販売会社木霊工房(こだまこうぼう)は14日、通販サイトの決済画面が改ざんされ、カード情報が流出した可能性があると発表した。",
        "木霊工房",
    ),
    (
        "relative_clause_glued_to_public_name",
        "北陸地域で宅配事業を展開するあすなろ生活協同組合(金沢市)は23日、委託先がサイバー攻撃を受けたと発表した。",
        "あすなろ生活協同組合",
    ),
    # -- the subject beside other bodies --
    (
        "contractor_with_legal_form",
        "あおば川市は12日、市が業務を委託している株式会社ミナトシステムのサーバーがランサムウェアに感染し、"
        "市民約3,000人分の個人情報が流出した可能性があると発表した。株式会社ミナトシステムから10日に報告を受けた。",
        "あおば川市",
    ),
    (
        "vendor_of_payment_module",
        "このたび、弊社が運営する「ハルカ公式通販」において、株式会社ペイテックが提供する決済モジュールが改ざんされ、"
        "お客様のクレジットカード情報が漏えいした可能性があることが判明いたしました。\n株式会社ハルカ商事\n代表取締役 山本 一郎",
        "ハルカ商事",
    ),
    (
        "police_arrest_story",
        "北斗県警は20日、勤務先の顧客情報を不正に持ち出したとして、不正競争防止法違反の疑いで、ミドリ物産の元社員の男を逮捕した。"
        "ミドリ物産によると、持ち出されたのは顧客約1万2千人分の氏名や電話番号だという。",
        "ミドリ物産",
    ),
    (
        "card_company_told_them",
        "2024年3月5日、クレジットカード会社から、弊社サイトを利用したお客様のカード情報の漏えい懸念について連絡を受けました。\n"
        "お客様各位\n有限会社こもれび堂",
        "こもれび堂",
    ),
    (
        "investigator_named",
        "株式会社サクラ食品は、第三者調査機関である株式会社セキュアラボによる調査の結果、同社の通販サイトから"
        "クレジットカード情報2,104件が流出した可能性があると発表した。",
        "サクラ食品",
    ),
    (
        "parent_group_before_name",
        "大手流通グループ傘下のアオバ物流は15日、社内サーバーが不正アクセスを受け、取引先の情報が流出した可能性があると明らかにした。",
        "アオバ物流",
    ),
    (
        "place_before_name",
        "北海道東部にある、しらかば町立病院は3日、電子カルテシステムがランサムウェアに感染したと発表した。",
        "しらかば町立病院",
    ),
    # -- bare names --
    (
        "quoted_company_sha",
        "「ネクストラ」社によると、同社の会員向けサイトに第三者が不正にログインし、約500件の会員情報が閲覧された可能性がある。",
        "ネクストラ",
    ),
    (
        "operates_site",
        "オンラインゲーム「ドラゴンクエストオンライン」を運営するアストロゲームズは8日、利用者のアカウントに対する不正ログインが確認されたと発表した。",
        "アストロゲームズ",
    ),
    (
        "business_descriptor",
        "岐阜県高山市で旅館「ひだまり荘」を経営するひだまり観光は、予約システムが不正アクセスを受け、宿泊客の情報が流出したおそれがあると発表した。",
        "ひだまり観光",
    ),
    (
        "industry_no_descriptor",
        "洋菓子製造のパティスリー・ルナは19日、同社のオンラインショップでクレジットカード情報最大3,512件が漏えいした可能性があると発表した。",
        "パティスリー・ルナ",
    ),
    (
        "latin_name",
        "NEXTRA Japanは2日、同社のクラウドサービスに不正アクセスがあり、法人顧客の情報が外部に流出したと発表した。",
        "NEXTRA Japan",
    ),
    # -- heads of bodies --
    (
        "mayor_speaks",
        "さくら台市の山田太郎市長は10日の記者会見で、住民税の通知書を誤って別の住民に送付していたと明らかにし、謝罪した。"
        "誤送付されたのは12人分で、同市は対象者に個別に連絡している。",
        "さくら台市",
    ),
    (
        "town_board_of_education",
        "ひなた町の教育委員会は5日、町立中学校の教諭が生徒の成績などを記録したUSBメモリを紛失したと発表した。",
        ("ひなた町教育委員会", "ひなた町"),
    ),
    (
        "municipal_signature",
        "このたび、本市において、住民票の写しを誤って別の方に交付する事案が発生しました。関係する皆様に深くお詫び申し上げます。\n"
        "令和6年7月9日\nあおば川市長 佐藤 花子",
        "あおば川市",
    ),
    # -- name extent --
    (
        "jigyodan",
        "令和5年11月1日\n北斗県社会福祉事業団\n\n個人情報を含む書類の紛失について\n\n"
        "このたび、当事業団が運営する施設において、利用者15名分の個人情報を記載した書類を紛失する事案が発生しました。",
        "北斗県社会福祉事業団",
    ),
    (
        "alias_defined",
        "学校法人青葉学園(以下「本学園」といいます。)が設置するあおば短期大学において、学生の成績情報を含むファイルが"
        "外部から閲覧可能な状態となっていたことが判明いたしました。本学園は、対象となる学生に個別に連絡しております。",
        ("青葉学園", "あおば短期大学"),
    ),
    (
        "facility_below_parent",
        "このたび、当施設において、入所者の個人情報を含む書類を誤って送付する事案が発生いたしました。深くお詫び申し上げます。\n\n"
        "社会福祉法人みのり会\n特別養護老人ホームみのり園\n施設長 田中 次郎",
        ("みのり園", "みのり会 特別養護老人ホームみのり園", "みのり会"),
    ),
    (
        "first_person_foundation",
        "このたび、弊財団の会員管理システムが不正アクセスを受け、会員の皆様の個人情報が流出した可能性があることが判明いたしました。\n"
        "公益財団法人ひかり文化財団",
        "ひかり文化財団",
    ),
    # -- a place, の, and the body it locates --
    (
        "place_then_named_private_school",
        "生徒の成績一覧、誤って保護者に送信\n"
        "北斗県の私立あさひ学園高校は13日、生徒198人分の氏名と成績を記したファイルを誤って保護者に送信したと明らかにした。",
        "あさひ学園高校",
    ),
    (
        "place_then_kind_of_clinic_then_quoted_name",
        "港西区の歯科医院「こもれび坂デンタルクリニック」、予約システムへの不正ログインで患者情報が閲覧された可能性\n"
        "不正ログインは6月5日から7日にかけて発生。患者412名分の氏名、電話番号が閲覧された可能性がある。",
        "こもれび坂デンタルクリニック",
    ),
    (
        "hospital_inside_a_city",
        "一方、みずほ野市内のひだまり台記念病院は同日、看護師が入院患者の情報を記したメモを紛失したと発表した。",
        "ひだまり台記念病院",
    ),
    # -- a faculty signs for its university; 又は is no name's は --
    (
        "faculty_dean_signs",
        "本研究科教員のメールアカウントの不正利用について（お詫び）\n\n2024年7月19日\n\n"
        "このたび、本研究科の教員1名がフィッシングメールによりパスワードを窃取され、在学生約1,200名の個人情報が流出した可能性がございます。\n"
        "流出した可能性のある方には、電子メール又は書面にてお詫びと経緯のご説明をお送りしております。\n\n"
        "【本件に関するお問い合わせ先】\n汐見台大学 大学院環境科学研究科 事務室\n電話：0467-38-5204\n\n"
        "汐見台大学 大学院環境科学研究科長　高森 俊彦\n",
        "汐見台大学",
    ),
    # -- a thing in a title (メールマガジン) and a first-person word glued to a name --
    (
        "newsletter_in_title_is_no_body",
        "【お詫び】メールマガジン誤送信のお知らせ\n2023年9月12日\n株式会社ハナビシ堂\n"
        "本日配信いたしましたメールマガジンにおいて、宛先を誤ってCCに設定したため、メールアドレス1,240件が他の受信者に表示される状態となっておりました。",
        "ハナビシ堂",
    ),
    (
        "tousha_glued_to_name",
        "処方箋控えの紛失に関するお詫び\n2023年9月13日\n"
        "9月10日、当社ソヨカゼ調剤薬局東町店において、処方箋の控え（患者様47名分）を綴じたファイルが所在不明となっていることが判明いたしました。",
        "ソヨカゼ調剤薬局",
    ),
    # -- the announcing frame holds a name whose legal form follows it --
    (
        "legal_form_after_name_announces",
        "ネット証券で不正ログイン、17人の口座で株式が無断売却\n"
        "ユメミ証券株式会社は12月5日、オンライン取引サービスで第三者による不正ログインがあり、顧客17人の口座で保有株式が無断で売却されたと発表した。",
        "ユメミ証券",
    ),
    # -- a letter's salutation glued on, and what a thing is for (…向け) --
    (
        "salutation_and_for_whom_glued",
        "会員向けポータル「くらしネット」への不正ログインについて2020年2月21日こだま生活協同組合組合員の皆様へ"
        "当組合が運営する組合員向けポータル「くらしネット」において、第三者による不正ログインが発生し、"
        "一部の組合員の皆様の登録情報が閲覧された可能性があることが判明いたしました。",
        "こだま生活協同組合",
    ),
    # -- a digest item and a headline --
    (
        "headline_descriptor",
        "健康食品のみどり農園、通販サイトから1万件超の個人情報漏えいか\n"
        "みどり農園は5日、ECサイトにおいて不正アクセスによる情報漏洩の可能性があると発表した。",
        "みどり農園",
    ),
    # a blog's 「X」さん; a headline that names only a kind of body the prose names
    (
        "quoted_san_over_a_kind_in_the_headline",
        "皮ふ科クリニックで「To」送信事件\n"
        "「さくら通り皮ふ科」さんが3月7日にお詫びを出してました。予約のメールを宛先に全員分入れて送っちゃったそうです。患者さん186人分のメールアドレスが見えてしまいました。",
        "さくら通り皮ふ科",
    ),
    # a headline that opens with what held the data; 〈町〉の教育委員会 is the body
    (
        "carrier_in_headline_board_of_a_town",
        "生徒98人分の成績入りUSBメモリー紛失 緑川中教諭、買い物中に\n"
        "緑川町の教育委員会は6日、町立緑川中学校の男性教諭が、2年生98人分の成績などを保存したUSBメモリーを紛失したと発表した。",
        "緑川町教育委員会",
    ),
    # news that names the body in a cleft; the place before it only locates it
    (
        "cleft_names_the_body",
        "病院にサイバー攻撃 患者約4万人分の情報流出か 汐見市\n"
        "今月、サイバー攻撃を受けた汐見市の病院が、患者およそ4万人分の個人情報が流出したおそれがあると発表しました。"
        "サイバー攻撃を受けたのは、汐見市港町の医療法人 清泉会が運営する松ヶ丘記念病院です。",
        "松ヶ丘記念病院",
    ),
    # a brief's headline names a kind (子育て支援NPO); the lead names the body
    (
        "kind_in_a_briefs_headline",
        "◇子育て支援NPOにサイバー攻撃 会員情報流出か\n"
        "NPO法人きたはま子育てネット(浜坂市)は7日、事務所のサーバーがサイバー攻撃を受け、会員約520人分の氏名が流出した可能性があると発表した。",
        ("NPO法人きたはま子育てネット", "きたはま子育てネット"),
    ),
    # what runs a business is a body, though its name is common kanji words
    (
        "runs_a_business_common_kanji_name",
        "自家焙煎コーヒー豆の通販を手がける朝霧珈琲焙煎所は9月16日、通販サイトが不正アクセスを受け、カード情報が漏えいした可能性があると公表しました。",
        "朝霧珈琲焙煎所",
    ),
    # a quoted name with 社 after what it provides is the company, not a service
    (
        "quoted_company_after_what_it_provides",
        "クラウド会計サービスを提供する「ミモリノート」社は9月17日、リスト型攻撃で利用者アカウントへの不正ログインが発生したと発表しました。",
        "ミモリノート",
    ),
    # the corporation that runs a hospital is the subject of a relative clause only
    (
        "operator_in_a_relative_clause",
        "医療法人社団白樺会が運営するかすみ台記念病院は、9月14日未明に電子カルテシステムがランサムウェアに感染したと9月15日に公表しました。",
        ("かすみ台記念病院", "白樺会 かすみ台記念病院"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in CASES])
def test_subject(text: str, expected: str | tuple[str, ...] | None) -> None:
    incidents = [i for i in parse_text(text) if i.is_incident]
    assert incidents, "no incident found"
    got = incidents[0].organization_core
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert got in allowed, f"got {got!r} ({incidents[0].rules.get('organization')})"


def test_a_web_pages_masthead_and_menu_are_not_its_title() -> None:
    from app.extract import parse_text

    text = (
        "TechWatch ニュース\nトップ ニュース エンタープライズ セキュリティ AI モバイル\nログイン|新規登録\nTechWatch NEWS > セキュリティ\n"
        "学生1843人分の個人情報、誰でも閲覧可能に 集計シートの共有設定ミスで――東杜学芸大\n2023年06月02日 12時30分 公開\n"
        "東杜学芸大学(東京都八王子市)は5月31日、アンケートの回答データが誰でも閲覧できる状態になっていたと発表した。対象は学生1843人分。\n"
    )
    [inc] = parse_text(text)
    assert inc.organization == "東杜学芸大学"


def test_a_sites_operator_named_after_the_sites_news_is_the_body() -> None:
    from app.extract import parse_text

    text = (
        "ペット用品通販「わんわんハウス」に不正アクセス、顧客情報2万3,871件流出か\n"
        "ペット用品の通販サイト「わんわんハウス」は6月13日、SQLインジェクション攻撃を受け、顧客情報2万3,871件が流出した可能性があると発表しました。"
        "運営する有限会社ミナセ企画は、6月2日に個人情報保護委員会へ報告済みです。\n"
    )
    inc = parse_text(text)[0]
    assert (inc.organization, inc.records_max) == ("有限会社ミナセ企画", 23871)


@pytest.mark.parametrize("masthead", ["テックリスク通信ニュース / インシデント", "瑞穂新報 地域版 "])
def test_a_sites_or_papers_name_at_the_head_of_its_page_is_no_headlines_lead(masthead: str) -> None:
    from app.extract import parse_text

    text = (
        masthead + "カザミ珈琲の公式サイトでカード情報流出の可能性、最大4126件"
        "2026年2月10日 12:30編集部コーヒー豆の焙煎・販売を手がけるカザミ珈琲は、公式サイトが不正アクセスを受け、"
        "カード情報が流出した可能性があると2026年2月6日付で公表した。同社によれば、決済画面が改ざんされていた。"
    )
    assert parse_text(text)[0].organization_core == "カザミ珈琲"


def test_a_date_labelled_as_published_glued_to_a_headline_is_no_announcement() -> None:
    from app.extract import parse_text

    text = (
        "【事案まとめ】温泉旅館の予約管理PCがマルウェア感染、宿泊予約者6,412件の情報流出の可能性公開日:2026年1月20日"
        "静岡県汐入市で温泉旅館を経営する「株式会社潮音館」が、予約管理に使っていたパソコンがマルウェアに感染し、"
        "個人情報が流出した可能性があると1月16日に公式サイトで公表しました。"
    )
    assert parse_text(text)[0].organization_core == "潮音館"


def test_a_headlines_body_the_article_never_names_again_beside_another_of_its_kind_is_glue() -> None:
    from app.extract import parse_text

    text = (
        "資料ダウンロード大学のサーバーに不正アクセス「教材の利用に支障」【福岡】福岡市の「みなと学園大学」の学内ネットワークにシステム障害が発生。"
        "調査の結果、第三者による不正アクセスが原因だったという。大学によると、学内のサーバーに障害が生じている。"
    )
    assert parse_text(text)[0].organization_core == "みなと学園大学"


def test_a_kana_shop_name_a_greeting_gives_is_the_body_and_a_pointer_is_none() -> None:
    # "いつも雑貨と器 ことのはをご利用いただき": the shop; "同サービス全体では": the platform, pointed at
    text = (
        "【重要】クレジットカード情報流出に関するお知らせとお詫び\n"
        "いつも器と布 すずらんをご利用いただき、ありがとうございます。\n"
        "当店が利用しているネットショップ作成サービス「ショップノート」において、決済画面が第三者により改ざんされ、"
        "当店でクレジットカード決済をご利用いただいたお客様のカード情報が流出した可能性があることが判明しました。\n"
        "※ショップノートの発表によると、同サービス全体では約2,300店舗が対象とのことです。\n"
        "■お問い合わせ\n器と布 すずらん 店主 山田花子\n"
    )
    [inc] = parse_text(text)
    assert inc.organization_core == "すずらん"
