"""Organisations and services, from one-line fixtures with invented names."""
from __future__ import annotations

import pytest

from app.extract import parse_text
from app.extract.orgs import core_name, find_orgs


@pytest.mark.parametrize(
    ("line", "name", "core"),
    [
        # the legal form in brackets after the name
        ("ひだまり苑(社会福祉法人)が11月5日にホームページで発表", "ひだまり苑(社会福祉法人)", "ひだまり苑"),
        # a co-op's form before its name, and after it (where it is part of the name)
        ("生活協同組合コープみずほ\n理事長 山田花子", "生活協同組合コープみずほ", "コープみずほ"),
        ("みずほ野生活協同組合は3日", "みずほ野生活協同組合", "みずほ野生活協同組合"),
        ("株式会社ミナモト商会 不正アクセスに関するお詫び", "株式会社ミナモト商会", "ミナモト商会"),
        ("サクラ電工株式会社は本日", "サクラ電工株式会社", "サクラ電工"),
        ("株式会社 青葉堂(あおばどう)", "株式会社 青葉堂", "青葉堂"),
        ("有限会社ヒバリ工房のサイト", "有限会社ヒバリ工房", "ヒバリ工房"),
        ("一般社団法人北斗振興会より", "一般社団法人北斗振興会", "北斗振興会"),
        ("国立大学法人東雲大学", "国立大学法人東雲大学", "東雲大学"),
        ("東雲大学において", "東雲大学", "東雲大学"),
        # its people or its office glued on where a line break was lost; not where the name goes on to a suffix
        ("株式会社アケボノ空調設備従業員1名のメール", "株式会社アケボノ空調設備", "アケボノ空調設備"),
        ("一般社団法人日本職員協会は", "一般社団法人日本職員協会", "日本職員協会"),
        # voiced kana inside a name after its legal form (子ども), not など after it
        ("特定非営利活動法人ひまわり子ども食堂ネットワークの職員が", "特定非営利活動法人ひまわり子ども食堂ネットワーク", "ひまわり子ども食堂ネットワーク"),
        ("株式会社ミナト商事など関係者", "株式会社ミナト商事", "ミナト商事"),
        ("認定NPO法人ひまわりの森は、", "認定NPO法人ひまわりの森", "ひまわりの森"),
        # a kana name after the light verb that runs before it; こども is no particle
        ("指定管理者が運営するみなと台こどもクリニック(東雲市)は", "みなと台こどもクリニック", "みなと台こどもクリニック"),
        ("架空県の職員が", "架空県", "架空県"),
        ("みなと産業振興機構の", "みなと産業振興機構", "みなと産業振興機構"),
        ("ABC Trading合同会社", "ABC Trading合同会社", "ABC Trading"),
        # a header whose line breaks were lost: the word, the date or the member glued on is cut
        ("発表者株式会社ミヤコ住設 管理本部件名", "株式会社ミヤコ住設", "ミヤコ住設"),
        ("令和4年2月18日社会福祉法人 さくら福祉会", "社会福祉法人 さくら福祉会", "さくら福祉会"),
        ("令和 6 年 5 月 13 日白根沢町役場", "白根沢町", "白根沢町"),
        ("2020年2月21日こだま生活協同組合組合員の皆様へ", "こだま生活協同組合", "こだま生活協同組合"),
        ("東雲大学名誉教授の", "東雲大学", "東雲大学"),
        ("2024年5月20日株式会社ツバキ工機不正アクセスに関するお詫び", "株式会社ツバキ工機", "ツバキ工機"),
        ("お客様各位有限会社こはる堂お詫びとお知らせ", "有限会社こはる堂", "こはる堂"),
        ("掲載日:R6.2.9白樺ヶ丘市 健康福祉部", "白樺ヶ丘市", "白樺ヶ丘市"),
        ("■お問い合わせ先丸鷺精工(株) 総務部", "丸鷺精工(株)", "丸鷺精工"),
        ("学校法人 桐ノ沢学院法人事務局 このたび", "学校法人 桐ノ沢学院", "桐ノ沢学院"),
        ("一般社団法人こもれび緑化協会事務局長 竹中", "一般社団法人こもれび緑化協会", "こもれび緑化協会"),
        ("株式会社はなまる\n", "株式会社はなまる", "はなまる"),  # a kana name alone on its line
        # a clause glued before a name
        ("宅配事業を展開するあすなろ生活協同組合は", "あすなろ生活協同組合", "あすなろ生活協同組合"),
        # a place's name that holds another place suffix; a particle before the name
        ("大岡町市は13日", "大岡町市", "大岡町市"),
        ("新村町役場の", "新村町", "新村町"),
        ("「令和6年度朝霧県ひとり親家庭実態調査」", "朝霧県", "朝霧県"),
        ("すずかけ通り商店街振興組合は", "すずかけ通り商店街振興組合", "すずかけ通り商店街振興組合"),
        ("E-mail:kankyo@shiomi-univ.ac.jp汐見ヶ丘大学 大学院", "汐見ヶ丘大学", "汐見ヶ丘大学"),  # an address glued on
        # one school of two stages under one name
        ("あおば学園中学校・高等学校 校長", "あおば学園中学校・高等学校", "あおば学園中学校・高等学校"),
    ],
)
def test_find_orgs(line: str, name: str, core: str) -> None:
    orgs = find_orgs(line)
    assert orgs, line
    assert (orgs[0].name, orgs[0].core) == (name, core)


@pytest.mark.parametrize(
    ("text", "org", "service"),
    [
        (
            "株式会社ミナモト商会 弊社が運営する「ミナモト公式ストア」への不正アクセスに関するお詫び 2023年4月1日\n\n"
            "このたび、弊社が運営する「ミナモト公式ストア」において、お客様のクレジットカード情報(120件)が漏洩した可能性があることが判明いたしました。\n",
            "株式会社ミナモト商会",
            "ミナモト公式ストア",
        ),
        (
            "サクラ電工は5月10日、同社が運営する通販サイト「サクラオンラインショップ」が不正アクセスを受け、顧客情報が流出した可能性があると発表した。\n",
            "サクラ電工",
            "サクラオンラインショップ",
        ),
        (
            "2024年3月1日、東雲大学は教員のパソコンがマルウェアに感染し、学生の情報が流出した可能性があると発表した。\n",
            "東雲大学",
            None,
        ),
        (
            "株式会社ミドリ堂(本社:東京都港区、代表取締役:山田太郎)は2024年3月1日、同社の通販サイトが不正アクセスを受け、顧客情報が流出した可能性があると発表した。\n",
            "株式会社ミドリ堂",
            None,
        ),
        (
            "ミドリ堂(東京都港区)は3月1日、同社の通販サイトで顧客情報が流出した可能性があると発表した。\n",
            "ミドリ堂",
            None,
        ),
        (
            "【お詫び】弊社ウェブサイトへの不正アクセスについて\n\n2024年2月1日\nABC Japan株式会社\n\n"
            "このたび、弊社ウェブサイトが不正アクセスを受け、お客様情報(最大530件)が閲覧された可能性があることが判明いたしました。\n",
            "ABC Japan株式会社",
            None,
        ),
        (
            "本市において書類を紛失しました。ご迷惑をおかけし深くお詫び申し上げます。\n白浜市総務部総務課\n",
            "白浜市",
            None,
        ),
        (
            "サイバー攻撃による被害について(第2報)\n\n2024年9月20日\n医療法人社団青陽会 青陽中央病院\n\n"
            "当院では、電子カルテシステムが使用できない状態となり、ランサムウェアによる攻撃を受けたことが判明しました。\n",
            "医療法人社団青陽会 青陽中央病院",
            "電子カルテシステム",
        ),
        (
            "弊社のパソコンがウイルスに感染し、不審なメールが送信されていることが確認されました。\n"
            "お問い合わせ先 北風運輸株式会社\n",
            "北風運輸株式会社",
            None,
        ),
        # a service named after its kind, a kana head or a latin one, its short name defined after it
        (
            "2026年1月30日\n公益財団法人さくら台市スポーツ振興事業団\n\n"
            "弊財団が運営する施設予約アプリ さくらスポーツNavi において、第三者による不正ログインが確認されました。\n",
            "公益財団法人さくら台市スポーツ振興事業団",
            "さくらスポーツNavi",
        ),
        (
            "2014年10月14日\nみどり野農業協同組合\n\n"
            "当組合が提供しておりますウェブサービス JAみどり野マイページ(以下「マイページ」といいます。)のサーバーが外部から不正アクセスを受けました。\n",
            "みどり野農業協同組合",
            "JAみどり野マイページ",
        ),
        # a figure quoted is no service
        (
            "2026年2月20日\n株式会社ホシノ交通\n\n"
            "当社サーバーへの不正アクセスについて、ご報告いたします。\n3. 漏えいした会員情報\n"
            "第1報では「約2万9千件」とお知らせしておりましたが、調査の結果、漏えいした会員情報は29,416件と確定いたしました。\n",
            "株式会社ホシノ交通",
            None,
        ),
        # a quoted domain is an address, not a service
        (
            "2018年10月2日\n株式会社ツバメトラベル\n\n"
            "当社が保有するドメイン「tsubame-travel.jp」が何者かによって不正に移管され、当社ウェブサイトの閲覧者が第三者のサーバーへ誘導される状態となっていました。\n",
            "株式会社ツバメトラベル",
            None,
        ),
    ],
)
def test_subject_of_notice(text: str, org: str, service: str | None) -> None:
    [inc] = parse_text(text)
    assert inc.organization == org
    assert inc.service == service


@pytest.mark.parametrize(
    ("name", "core"),
    [("株式会社ワカバ", "ワカバ"), ("ワカバ合同会社", "ワカバ"), ("公益財団法人ワカバ財団", "ワカバ財団"), ("(株)ワカバ", "ワカバ")],
)
def test_core_name(name: str, core: str) -> None:
    assert core_name(name) == core


@pytest.mark.parametrize(
    ("line", "name"), [("さくらだ市内のひだまり記念病院は", "ひだまり記念病院"), ("大阪府の私立みなと学園高校は", "みなと学園高校")]
)
def test_a_place_before_a_body_is_not_its_name(line: str, name: str) -> None:
    # (〈place〉の〈body〉: two names; the body's starts after の, and 私立 says what it is)
    assert [o.name for o in find_orgs(line)][-1] == name


@pytest.mark.parametrize("line", ["氏名、在籍中学校名、電話番号", "病院名簿を紛失", "少なくとも5市町村が公表した", "全市町村の担当者", "県内の市町で", "令和6年度大学院入学試験の志願者", "報道発表資料", "上下水道課の"])
def test_the_name_of_a_kind_of_body_is_no_body(line: str) -> None:
    assert find_orgs(line) == []


def test_particles_after_a_name_open_no_other() -> None:
    assert [o.name for o in find_orgs("東京都にも病院がある")] == ["東京都"]


def test_a_places_board_named_with_no_is_one_body() -> None:
    assert [(o.name, o.core) for o in find_orgs("緑川町の教育委員会は6日、町立緑川中学校の教諭が")][0] == ("緑川町教育委員会", "緑川町教育委員会")


def test_a_headline_that_opens_with_a_count_names_no_body_by_it() -> None:
    from app.extract import parse_text

    text = (
        "■登録スタッフ3,402人の履歴書が閲覧可能な状態に ネクストブリッジ\n"
        "人材派遣のネクストブリッジ合同会社は13日、クラウドストレージの共有設定に不備があり、登録スタッフ3,402人分の履歴書データが閲覧できる状態になっていたと明らかにした。\n"
    )
    assert parse_text(text)[0].organization_core == "ネクストブリッジ"


def test_a_salutation_glued_to_the_issuer_is_not_its_name() -> None:
    from app.extract.orgs import find_orgs

    for text in ("2023年10月20日各位潮見台信用金庫\n", "各 位潮見台信用金庫\n"):
        assert [o.name for o in find_orgs(text)] == ["潮見台信用金庫"]


def test_a_role_or_label_glued_after_a_name_is_no_part_of_it() -> None:
    from app.extract.orgs import _clean

    assert _clean("ことぶき保険サービス元社員") == "ことぶき保険サービス"
    assert _clean("ハルニレ・ラボ所在地") == "ハルニレ・ラボ"
    assert _clean("テンリュウ精機English") == "テンリュウ精機"


@pytest.mark.parametrize(
    ("text", "core"),
    [
        # the writer's own team, and a body's parent or subsidiary named by its relation
        ("ゆうげ便を運営する株式会社ゆうげは6月3日、不正ログインを受けたと公表した。\n今期当チームが把握した事案は計47件だった。", "ゆうげ"),
        ("米パルスランの日本法人であるパルスラン・ジャパン株式会社は6月1日、不正ログインを受けたと発表した。日本法人は個人情報保護委員会に報告済みだ。", "パルスラン・ジャパン"),
        ("南しらかば町は9月20日、町立保育所の職員が園児86人分の名簿を紛失したと発表した。", "南しらかば町"),
    ],
)
def test_a_body_named_by_its_role_or_kind_is_not_the_subject(text: str, core: str) -> None:
    from app.extract import parse_text

    assert parse_text(text)[0].organization_core == core


@pytest.mark.parametrize("word", ["日本法人", "米本社", "親会社", "グループ会社", "町立保育所", "市立図書館", "当連合会", "本事業団",
                                  "本学大学院", "本学大学院工学研究科", "当院事務局", "本市教育委員会事務局"])
def test_a_body_named_by_its_relation_or_kind_names_no_body(word: str) -> None:
    from app.extract.orgs import names_no_body

    assert names_no_body(word)


def test_the_writers_own_part_is_no_body_but_a_proper_name_opening_alike_is() -> None:
    from app.extract.orgs import names_no_body

    assert not names_no_body("当別町")  # a town in Hokkaido, not "this town"
    assert not names_no_body("本田技研工業")


def test_a_breadcrumbs_last_crumb_glued_to_the_headline_is_no_part_of_a_name() -> None:
    assert [o.core for o in find_orgs("ホーム ＞ 行政伊佐波市、職員メールに不正ログイン")] == ["伊佐波市"]


def test_a_papers_name_before_its_site_menu_is_not_the_headlines_subject() -> None:
    from app.extract import parse_text

    text = (
        "みなと日報オンラインホーム 地域 行政 経済 ホーム > 行政伊佐波市、職員メールに不正ログイン "
        "伊佐波市の森下貴之市長は18日の定例記者会見で、市職員のメールアカウントに第三者が不正にログインし、"
        "市民318人分の個人情報が閲覧された可能性があると明らかにした。"
    )
    assert parse_text(text)[0].organization_core == "伊佐波市"
