"""Attack type (taxonomy.md keys), supply-chain flag and vendor, advisories that are not incidents."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import vocab
from .orgs import OrgMention
from .rules import Rule, rule
from .vocab import AFFECTED_SHARE, COMPARISON, FIRST_PERSON, LEAK


@dataclass(frozen=True)
class AttackRule:
    rule: Rule
    key: str
    # A consequence (閲覧できる状態, 転送設定) names a type only when no cause is named.
    consequence: bool = False
    # "BccではなくToで送信": the words of a misdelivery are said in the negative.
    deniable: bool = True
    # Words near a hit that make it another type's (an intruder's 不正に取得 is no insider's).
    veto: re.Pattern[str] | None = None

    @property
    def id(self) -> str:
        return self.rule.id


def _rule(
    key: str, words: str, suffix: str = "", *, examples: tuple[str, ...], consequence: bool = False,
    deniable: bool = True, veto: str | None = None,
) -> AttackRule:
    return AttackRule(
        rule(f"attack.{key}{suffix}", words, examples=examples), key, consequence, deniable, re.compile(veto) if veto else None
    )


_CARD = r"(?:クレジット)?カードの?(?:情報|番号)"
# Order is the priority: where a notice names two ways, the one that did the damage wins
# (a brute-forced account that led to ransomware is ransomware).
ATTACK_RULES: tuple[AttackRule, ...] = (
    _rule(
        "ransomware", r"ランサム|身代金|(?:ファイル|データ|サーバー?|システム|パソコン|PC|端末)[^。、]{0,12}暗号化され",
        examples=("サーバーがランサムウェアに感染しました。", "ファイルサーバー内のデータが暗号化されました。"),
    ),
    _rule(
        "web_skimming",
        r"ペイメントアプリケーション|決済(?:画面|ページ|フォーム|モジュール)|ペイモジュール|"
        r"(?:カード情報の?)?入力(?:画面|フォーム)|フォームアシスト|スキミング|"
        r"(?:不正な|悪意のある)(?:スクリプト|プログラム)|Webスキマー|ウェブスキミング",
        examples=("決済画面が改ざんされ、入力されたクレジットカード情報が外部に送信されていました。",),
    ),
    _rule(
        "misdelivery",
        r"誤送信|誤送付|誤って(?:添付|送信|送付|配布|発送|配信|郵送|FAX)|誤添付|添付ファイルを誤|誤配|宛先を?誤|BCC|Bcc|bcc|CC欄|TO欄|"
        r"メールの誤|誤ったメールアドレス|誤ったあて先|誤った宛先|誤発送|同封|誤交付|誤って(?:交付|手渡|渡し)|"
        # what went into an envelope, or to whom: 封入を誤り, 別の世帯に送付
        r"封入(?:を|の|に)?誤|誤封入|封入ミス|"
        # the addresses everyone saw: CCで一斉送信, アドレスが見える状態でメールを送信
        r"(?:CC|Cc|TO|To)で(?:一斉)?(?:送信|送付|配信)|見える状態で[^。]{0,8}?(?:送信|配信)|"
        # 宛先(To)に全員を入れて送った; アドレスが互いに見える状態
        r"宛先(?:\((?:To|TO)\)|欄)?に[^。]{0,12}?(?:入れて|入力し|設定し)[^。]{0,6}?(?:送信|送っ|配信)|"
        r"アドレス(?:等)?が(?:互いに|他の受信者(?:に|から)|受信者同士で|全員に)(?:見え|表示さ|閲覧|確認でき)|誤って[^。、]{1,20}?(?:に|へ)(?:送信|送付|発送|郵送|配信)|"
        r"(?:別|他)の(?:世帯|方|人|利用者|患者|保護者|顧客|お客様|受験者|児童|生徒|学生|事業者|会員|取引先)(?:に|へ|あて|宛)(?:て|に)?(?:送付|送信|発送|郵送|配布|交付|送っ|届)",
        examples=(
            "メールをBccではなくToで送信する誤送信が発生しました。", "別の保護者あてに書類を誤送付しました。",
            "保険証の発送で封入を誤り、9世帯分の保険証を別の世帯に送付した。",
            "利用者へのメールをCCで一斉送信", "職員が課税明細書を、誤って別の住民の住所に郵送した。",
            "案内メールを宛先(To)に入れて送ってしまい", "会員のメールアドレスが互いに見える状態になった",
        ),
        deniable=False,
    ),
    # A phished password is how an account was taken over: the phishing did the damage.
    _rule(
        "phishing", r"フィッシング|偽サイト|偽の(?:ログイン|サイト|メール)|偽メール|サポート詐欺|偽の警告",
        examples=("職員がフィッシングメールの偽サイトにIDとパスワードを入力しました。",),
    ),
    _rule(
        "account_takeover",
        r"不正に?ログイン|リスト型|パスワードリスト|総当たり|ブルートフォース|なりすましログイン|乗っ取|第三者がログイン|"
        r"アカウント(?:が|に|へ|への|に対する)[^。]{0,20}?不正(?:な|に)?(?:アクセス|利用|使用|ログイン)|"
        r"(?:ID|アカウント)(?:・|と|及び|および)パスワードが(?:窃取|盗まれ|漏えい|漏洩|流出)",
        examples=("リスト型攻撃による不正ログインが確認されました。", "職員のメールアカウントが第三者に不正に利用され、迷惑メールが送信されました。"),
        veto=r"ドメイン",  # a domain taken over is an intrusion (below), not an account's
    ),
    _rule(
        "malware",
        r"Emotet|エモテット|マルウ[ェエ]ア|(?:ウイルス|ウィルス)(?:に|へ)?感染|コンピューターウ[イィ]ルス|トロイの木馬|情報窃取型|インフォスティーラー",
        examples=("PCがEmotetに感染し、なりすましメールが送信されました。",),
    ),
    # Mail forwarded out by a setting is a misdelivery, unless an intruder set it up.
    _rule(
        "misdelivery", r"転送設定|自動転送|転送先|送信先(?:の)?設定|別の(?:外部)?(?:アドレス|宛先|あて先)(?:に|へ)(?:も)?(?:送信|送付)", ".forwarding",
        examples=("メールの自動転送設定により、外部のアドレスにメールが転送されていました。",),
    ),
    _rule(
        "misconfiguration",
        r"設定不備|設定ミス|設定の誤り|設定を誤|設定に誤り|公開設定|権限の?設定|誤った[^。]{0,12}設定|誤掲載|誤公開|誤って[^。、]{0,15}?(?:公開|掲載|アップロード)|"
        r"アクセス制限(?:の設定)?(?:が|を)(?:されて|かけて|行って)(?:い|お)(?:ない|らず|なかった)|共有設定",
        examples=("共有フォルダの設定不備により、外部から閲覧可能な状態でした。", "個人情報を含むファイルを誤ってホームページに掲載していました。"),
    ),
    _rule(
        "misconfiguration",
        r"閲覧可能な状態|閲覧できる状態|閲覧可能と|閲覧できる状況|ダウンロードできる状(?:態|況)|検索(?:可能|できる)|誰でも閲覧|外部から閲覧|共有され|"
        r"(?:読み取れる|読める|参照できる|参照可能な|判読できる|判読可能な|取得できる|見られる)状(?:態|況)",
        ".state",
        examples=("個人情報を含むファイルが外部から閲覧可能な状態になっていました。", "黒塗りが不十分で、氏名と住所が読み取れる状態になっていた。"),
        consequence=True,
    ),
    _rule(
        "loss_theft", r"紛失|置き忘れ|(?<!ドメイン)(?<!ドメイン名)(?<!ドメインの)盗難|(?<!ドメインが)盗まれ|所在不明|車上荒らし|ひったく|置き引き|遺失",
        examples=("職員が個人情報を含むUSBメモリを紛失しました。", "ノートパソコンが盗難に遭いました。"),
    ),
    # An insider is named as one (元従業員, 懲戒), or by what staff do with data they hold
    # (持ち出し, 私的に閲覧); "第三者に不正に取得された" is an intruder's work.
    _rule(
        "insider", r"元従業員|元社員|元職員|元派遣社員|元店長|懲戒|横領|着服",
        examples=("元従業員が顧客情報を持ち出していたことが判明しました。",),
    ),
    _rule(
        "insider",
        r"持ち出|不正に(?:閲覧|取得|持ち出|複製|送金)|私的に|無断で(?:持|複製|ダウンロード|アップロード|閲覧)|業務外|許可なく",
        ".act",
        examples=("職員が業務と関係なく患者の情報を不正に閲覧していました。",),
        veto=r"第三者|外部から|外部の|攻撃者|何者か|犯人|ハッカー|不正アクセス|ランサム|マルウェア|ウイルス",
    ),
    # サイバー攻撃 alone does not say how: the taxonomy files it under other.
    _rule(
        "unauthorized_access",
        r"不正な?アクセス|脆弱性|侵入|SQLインジェクション|改ざん|ハッキング|クラッキング|ドメイン(?:名)?の?(?:盗難|乗っ取|不正移管)|"
        r"ドメイン(?:名)?(?:が|を)[^。]{0,12}?(?:乗っ取|盗まれ|奪われ|不正に(?:移管|変更))",
        examples=("システムの脆弱性をついた不正アクセスにより個人情報が流出しました。", "ドメインの盗難により、ウェブサイトが改ざんされました。",
                  "弊社ドメインが第三者に乗っ取られ、不正なサイトに転送される状態となっていました。"),
    ),
)
_PRIORITY = {r.id: k for k, r in enumerate(ATTACK_RULES)}

# A type named only to deny it, or as what might happen: "ウイルス感染の形跡はない",
# "ランサムウェアではなく", "不正アクセスされる恐れがあるため".
NEGATED = rule(
    "attack.negated",
    r"て(?:いない|おらず|おりません|いません)"
    r"|[^。、]{0,8}?の形跡は(?:ない|なく|ありません|ございません|確認されて)"
    r"|(?:による|の)?[^。、]{0,18}?は確認されて(?:いない|おらず|おりません|いません)"
    r"|[^。、]{0,12}?かどうか"  # "ランサムウェアによるものかどうかも明らかにされていません": asked, not told
    r"|[^。、]{0,12}?(?:さ|ら)れる(?:恐れ|おそれ)"  # "偽の決済ページに誘導される恐れ": what might be done
    r"|[^。、]{0,8}?(?:の事実は(?:ない|なく|ありません|ございません)"
    r"|(?:さ|を受け|に感染す|に遭)(?:れる)?(?:恐れ|おそれ)(?:が|の)?(?:ある|あります)?(?:ため|ので|ことから)|を防|の防止|対策(?:を|として|の)"
    r"|に(?:ご)?注意|に備え)",
    examples=(
        "コンピューターウイルス感染の形跡はありません。",
        "ランサムウェアによるデータの暗号化は確認されておりません。",
        "不正アクセスされる恐れがあるため、パスワードの変更をお願いします。",
        "データは暗号化されておりませんでした。",
        "ランサムウェアによるものかどうかも明らかにされていません。",
        "偽の決済ページに誘導される恐れがあるとして注意を呼びかけています。",
    ),
    must_not=("不正アクセスを受け、個人情報が流出しました。",),
)
# "ランサムウェアではなく、…不正アクセス": a correction rules the type out of the whole text.
CORRECTED = rule(
    "attack.corrected",
    r"[ァ-ヴーA-Za-z]*(?:による(?:もの|被害)|の被害)?(?:ではなく|ではない|ではありません|ではございません|とは異なる)",
    examples=("調査の結果、ランサムウェアではなく、脆弱性を突いた不正アクセスと判明しました。", "ランサムウェアによるものではないことを確認しました。"),
    must_not=("ランサムウェアに感染しました。",),
)
# (words said in the negative by their nature, "BccではなくTo", are denied only as a cause:
# "メールの誤送信によるものではなく")
_CAUSE_DENIED = re.compile(r"[^。、]{0,6}?(?:による|の)(?:もの|被害)(?:では|でも)(?:な|あり|ござ)")
_CORRECTION_WORD = re.compile(r"ではな|ではあり|ではござ|とは異なる")
_WORD_TAIL = re.compile(r"[ァ-ヴーA-Za-z]*")
_PREVENTIVE_BEFORE = re.compile(r"(?:仮に|万が一|万一|今後の|さらなる|二次被害|再発)[^。]{0,8}$")

# A card leak from an online shop is skimming by convention, even when the notice only
# says 不正アクセス; so is one from a 公式サイト or 販売サイト that is not called a shop.
_SHOP = re.compile(
    r"オンラインショップ|オンラインストア|ECサイト|通販|公式ストア|ネットショップ|ショッピングサイト|ストア|ショップ|"
    r"公式サイト|販売サイト|ウェブサイト|Webサイト|WEBサイト|ホームページ|予約サイト|会員サイト|サイト|インターネット(?:販売|予約|注文)"
)
# (not a denial: "カード情報は、サーバーに保存しておらず、流出しておりません")
_CARD_LEAK = re.compile(_CARD + r"[^。\n]{0,60}(?:漏えい|漏洩|流出|窃取|盗み取|抜き取|外部に送信)(?![^。\n]{0,6}(?:ません|ない|なし|おらず))")

# Advisories and news that are not an incident at the named organisation.
NOT_INCIDENT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("advisory.impersonation", re.compile(r"を(?:騙る|かたる|騙った|かたった|装う|装った|名乗る|名乗った)|なりすまし(?:メール|SMS|サイト)")),
    ("advisory.vulnerability", re.compile(
        r"月例(?:パッチ|セキュリティ)|(?:脆弱性|セキュリティ)(?:情報|アップデート)を公開|悪用リストに追加|KEV|緊急警告|"
        r"修正プログラムを(?:公開|リリース)|(?:修正|更新)(?:版|バージョン|プログラム|パッチ)(?:を|の)(?:公開|提供|リリース)"
    )),
    ("advisory.product_bug", re.compile(r"誤検知|詐称|誤って(?:危険|ブロック)|不具合")),
    # guidance published, told by its headline: "「ランサムウェア初動対応ガイド」公開", "手引きを策定"
    ("advisory.guidance", re.compile(r"(?:ガイド|ガイドライン|手引き?|ハンドブック|白書|チェックリスト)」?(?:を|の)?(?:公開|発行|策定|改訂)")),
    # a court's ruling told by its headline, over no exposure of data ("補償請求を棄却 地裁判決")
    ("advisory.court", re.compile(r"判決|棄却|提訴|訴訟|賠償を?命じ")),
)
_TITLE_ONLY = frozenset({"advisory.product_bug", "advisory.guidance", "advisory.court"})
_UNLESS_EXPOSED = frozenset({"advisory.product_bug", "advisory.court"})
_SPOOF_TITLE = re.compile(r"装った|装う|名乗る|なりすまし|偽サイト|偽の|フィッシング|不審な(?:メール|SMS|電話)|詐欺(?!罪)")
_WARNING_TITLE = re.compile(
    r"セミナー|ウェビナー|講演会|研修会|勉強会|カンファレンス|シンポジウム|展示会|開催のお知らせ|開催します|注意喚起|(?:注意|警戒|確認|更新|対策|アップデート)を(?:呼び(?:掛|か)け|促)|ご注意(?:ください|下さい)|に注意(?:$|」|\s*[(（])|"
    r"(?:製品|ファームウェア|ソフトウェア|ルーター|アプリ|サーバー?|ソフト|ブラウザ|OS)[^。\n]{0,20}脆弱性|脆弱性[^。\n]{0,20}(?:修正|アップデート|パッチ|更新)"
)
_OWN_DAMAGE = re.compile(
    r"感染|不正アクセス|侵害|漏えい|漏洩|流出|乗っ取|不正ログイン|侵入|窃取|盗取|盗んだ|盗まれ|被害が(?:発生|確認)|誤送信|誤送付|紛失|"
    r"不正送金|横領|着服|持ち出|不正に(?:取得|閲覧|利用|送金|ログイン|アクセス)|"
    # a phished account, mail sent on outside: damage done
    r"(?:パスワード|ID|認証情報)を(?:誤って)?入力し(?:て|た|、|ま)|盗み取|第三者に(?:使われ|使用され|利用され|悪用され)|外部(?:に|へ)(?:自動)?転送され|"
    r"外部からアクセスされ|遠隔操作され|閲覧された|"
    # a page of its own altered (HPが改ざんされ): its visitors sent on to a fake shop is its harm
    r"改(?:ざん|竄)され"
)
# "同社からの情報流出はない", "被害は確認されていない": damage named to be denied
OWN_DAMAGE_DENIED = rule(
    "not_incident.damage_denied",
    r"[^。、]{0,10}?(?:(?:は|も|の事実は|の形跡は|した事実は)(?:一切)?(?:ない|なく|ありません|ございません|確認されて(?:いない|おらず|おりません|いません))"
    r"|(?:では|じゃ)(?:ない|なく|なかった|ありません|ございません)|(?:は|も)なし(?![得])|はゼロ)",
    examples=("同社からの情報流出はないという。", "現時点で被害は確認されていません。", "これは漏えい事件じゃないんですが、",
              "サイバー攻撃や情報流出ではなかったとのことです。"),
    must_not=("個人情報が流出した可能性があります。",),
    documents=("■「ミレリア」を名乗るフィッシングメールに注意\n同ブランドを装うメールが出回っている。同社からの情報流出はないという。",),
)
# "他の組合員の方の注文履歴が表示される事象": a bug that showed one customer's data to another
_SHOWN_TO_OTHERS = re.compile(r"(?:他|別)の[^。、]{0,15}?(?:情報|履歴|個人情報|データ)が(?:表示|閲覧)")
_OWN_EXPOSURE = re.compile(r"個人情報|顧客情報|漏えい|漏洩|流出|誤表示|閲覧|誤送信|誤送付|誤公開|(?:別|他)の(?:顧客|お客様|利用者|会員|方)(?:に|へ)(?:届|送)")
_INCIDENT_WORDS = re.compile(
    r"漏えい|漏洩|流出|不正アクセス|侵害|閲覧され|ランサム|誤送信|紛失|盗難|盗まれ|閲覧可能|乗っ取|不正に?ログイン|不正にアクセス|被害|感染|懲戒|横領|改ざん|攻撃を受け|"
    r"サイバー攻撃|共有され|持ち出|不正に閲覧|着服|誤送付|誤掲載|誤って|閲覧できる状態|見える状態|誤交付|誤発送|業務外で閲覧|目的外(?:の|で)?(?:閲覧|利用)|"
    r"記載されていた|掲載されていた|置き忘れ|取得され|窃取|盗み出|抜き取|読み取れる状態|参照できる状態|"
    r"第三者に(?:不正に?)?(?:使われ|使用され|利用され|悪用され|渡っ|渡り)|不正利用され|不正に利用され|迷惑メールが(?:大量に)?送信|不正閲覧|関係なく閲覧|別人(?:あて|宛て?)に|貼り間違|取り違え|"
    + AFFECTED_SHARE  # (a digest item that tells only its share of another's incident)
)


# Supply chain: a third party's compromise. The third party is named by its role (委託先,
# 決済代行会社, 提供元 …) or by what it does for the organisation (委託している, が提供する).
_ROLE = (
    r"委託先|委託業者|委託事業者|受託事業者|受託者|再委託先|業務委託先|決済代行会社|保守業者|運用業者|保守ベンダー|"
    r"提供元|提供会社|開発元|システム会社|ベンダー"
)
# The third party is where it happened ("委託先のランサムウェア被害", "X社が提供するサービスが改ざん"),
# not merely who told them ("決済代行会社から…連絡があり").
SUPPLY_CAUSE = rule(
    "supply.cause",
    rf"(?:(?:{_ROLE})(?:\([^()。]{{1,30}}\))?|(?:を|に|が)委託(?:している|していた|しております|しておりました|する|した)[^。、]{{0,25}}?|が提供する[^。、]{{0,30}}?|社?製の?(?:システム|サービス|ソフト)[^。、]{{0,10}}?|"
    # (a system's maker or keeper named by what it does: システムを開発・保守する株式会社X)
    r"を(?:開発|保守|運用|管理)(?:・(?:開発|保守|運用|管理))*(?:する|している)(?=株式会社|有限会社|合同会社|\(株\))[^。、]{0,25}?)"
    r"(?:で|が|の|において|にて|に対する|における)[^。]{0,60}?"
    rf"(?:不正アクセス|改ざん|誤送信|誤送付|誤封入|誤りがあり|ミスがあり|攻撃|感染|ランサム|持ち出|ダウンロード|アップロード|{LEAK}|設定を誤|設定に誤|"
    r"紛失|置き忘れ|盗難|盗まれ|同封|取り違え|侵入|不審な(?:接続|通信|アクセス)|"
    # (a contractor's misdelivery told by what it did wrong: 宛先を誤って「TO」に設定して一斉送信)
    r"宛先を誤|誤って(?:「[^」\n]{1,8}」(?:に|と))?(?:設定|入力|送信|送付|添付|掲載))"
    r"(?![^。]{0,8}(?:はない|はありません|は確認されて(?:いない|おらず|おりません|いません)))",
    examples=(
        "本市が印刷業務を委託している株式会社ミナトプリントにおいて、ランサムウェア被害が発生しました。",
        "委託先のサーバーが不正アクセスを受けました。",
        "委託先(株式会社カモメリンク)のサーバーへの不正アクセス",
        "株式会社フォームナビが提供するサービスのプログラムが改ざんされました。",
        "市は、データ入力を委託している株式会社ミナトデータの社員が、受診者の情報が入ったUSBメモリーを電車に置き忘れたと発表した。",
        "利用者管理システムを開発・保守する株式会社ケアシステムズから「遠隔保守用の回線に不審な接続がある」と連絡があった。",
    ),
    must_not=("決済代行会社から連絡があり、調査を開始しました。",),
)
# The name right after its role or its task: 委託先である株式会社X, 委託している株式会社X, 提供元である株式会社X
VENDOR_AFTER_ROLE = rule(
    "vendor.after_role",
    rf"(?:(?:{_ROLE})(?:企業)?(?:である|の|は|[::(])?|(?:を|に)?委託(?:している|していた|しております|しておりました|する|した)|の提供元である|"
    r"を(?:開発|保守|運用|管理)(?:・(?:開発|保守|運用|管理))*(?:する|している))\s*(?:\n\s*)*$",
    examples=("印刷業務を委託している", "2.業務委託先\n", "フォーム支援サービスの提供元である", "委託先("),
    must_not=("委託先に確認しています",),
    documents=("本市が印刷業務を委託している株式会社ミナトプリントにおいてランサムウェア被害が発生し、市民の個人情報が流出した可能性があります。",),
)
VENDOR_RULES: tuple[Rule, ...] = (
    rule(
        "vendor.provided_by",
        r"(?:株式会社)?(?P<v>[A-Za-zァ-ヴー・]{2,20})(?:株式会社)?(?:\((?:以下)?[^)]{0,30}\))?(?:社)?が提供する",
        examples=("ソラリス社が提供するフォーム入力支援サービス",),
        documents=("当社ECサイトが導入していたソラリス社が提供するフォーム入力支援サービスが不正アクセスを受けて改ざんされ、カード情報が漏洩しました。",),
    ),
    rule(
        "vendor.made_by", r"(?P<v>[A-Za-zァ-ヴー]{2,20})(?:社)?製の?(?:システム|サービス|ソフト)",
        examples=("ショーケース社製のシステムを利用していた",),
        documents=("委託先のサーバーが不正アクセスを受けました。当社はショーケース社製のシステムを利用していました。",),
    ),
    rule(
        "vendor.notified_by", r"(?P<v>[A-Za-zァ-ヴー]{2,20})社?(?:より|から)(?:の)?連絡",
        examples=("ショーケース社より連絡を受けました",),
        documents=("委託先のサーバーが不正アクセスを受け、情報が流出しました。ショーケース社より連絡を受けました。",),
    ),
)


@dataclass(frozen=True)
class AttackResult:
    key: str
    rule: str
    span: tuple[int, int] | None  # into the title when in_title, else into the body
    in_title: bool = False


def _first_hits(zone: str) -> list[tuple[AttackRule, re.Match[str]]]:
    """The first hit of every rule in a zone that is not denied or hypothetical, by priority.

    Causes come before consequences: a notice that names 不正アクセス and 閲覧できる状態
    was broken into; only when no cause is named does the consequence name the type. A type
    the text denies anywhere ("ランサムウェアではなく") is out, whatever it said before.
    """
    hits = []
    # (Without a correction anywhere, the first acceptable hit of a rule is its hit.)
    may_correct = _CORRECTION_WORD.search(zone) is not None
    for rule_ in ATTACK_RULES:
        first = None
        corrected: set[str] = set()
        for m in rule_.rule.finditer(zone):
            if first is not None and not may_correct:
                break
            if (CORRECTED.match(zone, m.end()) is not None if rule_.deniable else _CAUSE_DENIED.match(zone, m.end()) is not None):
                corrected.add(m.group())  # "紛失ではなく盗難": only 紛失 is ruled out
                if first is not None and first.group() == m.group():
                    first = None
                continue
            if m.group() in corrected:
                continue
            if rule_.veto is not None and rule_.veto.search(zone, max(0, m.start() - 40), m.end() + 10):
                continue
            # (from the end of the word the rule matched the head of: ランサム|ウェアによる…)
            if rule_.deniable and NEGATED.match(zone, _WORD_TAIL.match(zone, m.end()).end()) is not None:  # type: ignore[union-attr]
                continue
            if first is None and not _PREVENTIVE_BEFORE.search(zone, max(0, m.start() - 20), m.start()):
                first = m
        if first is not None:
            hits.append((rule_, first))
    # Phishing mails sent from an account taken over are what the intruder did with it:
    # the takeover did the damage ("アカウントに不正ログインし、同アカウントからフィッシングメールが送られた").
    # (every phishing word of the zone tells of mails sent: one that was received, or a fake
    # page a password went into, is how the account was taken)
    phishing = next((r for r, _ in hits if r.key == "phishing"), None)
    sent_out = (
        phishing is not None and any(r.key == "account_takeover" for r, _ in hits)
        and all(_SENT_OUT.match(zone, m.end()) for m in phishing.rule.finditer(zone))
    )
    hits.sort(key=lambda h: (h[0].consequence or (sent_out and h[0].key == "phishing"), _PRIORITY[h[0].id]))
    return hits


_SENT_OUT = re.compile(r"(?:メール)?(?:が|を)?[^。、]{0,4}?(?:送られ|送信され|送信し|配信され|大量に送)")


_SENTENCE = re.compile(r"[^。\n]*(?:[。\n]|$)")
_COMPARISON = re.compile(COMPARISON)
# The title's type gives way to the body's when the body names how it came about:
# a phished password led to the login (phishing), an intrusion planted ransomware.
_CAUSES = {
    "account_takeover": {"phishing"},
    "unauthorized_access": {"ransomware", "web_skimming", "account_takeover", "phishing", "malware"},
    "other": {"ransomware", "web_skimming", "unauthorized_access", "account_takeover", "phishing", "malware"},
}


# A question asserts nothing: "これは「ランサムウェア」などのウイルス被害ですか。" (an FAQ's row).
_QUESTION = re.compile(r"(?:です|ます|でした|ました|でしょう)か[。？?]")


def _without_comparisons(text: str) -> str:
    """The text with sentences that cite other incidents or statistics, and questions, blanked
    (offsets kept)."""
    spans: list[tuple[int, int]] = []
    for m in _COMPARISON.finditer(text):
        if spans and m.start() < spans[-1][1]:
            continue
        a = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        end = _SENTENCE_END.search(text, m.end())
        b = end.end() if end else len(text)
        spans.append((a, b))
    for m in _QUESTION.finditer(text):
        lo = max(0, m.start() - 200)  # (a question is a sentence, never a page)
        a = max(lo - 1, *(text.rfind(c, lo, m.start()) for c in "。？?\n\t")) + 1
        spans.append((a, m.end()))
    spans = _merged(spans)
    if not spans:
        return text
    parts, last = [], 0
    for a, b in spans:
        parts.append(text[last:a])
        parts.append(" " * (b - a))
        last = b
    parts.append(text[last:])
    return "".join(parts)


_SENTENCE_END = re.compile(r"[。\n]")


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


_CARD_RE = re.compile(_CARD)
# "クレジットカード情報をお預かりしておりません", "カード情報は含まれていません": card data the body
# says it never held or that was not among what leaked
_CARD_DENIED = re.compile(
    r"[^。\n]{0,12}?(?:を|は)(?:一切)?(?:お預かり|保有|保持|保存|取り扱|取扱|含ま|含んで)[^。\n]{0,10}?(?:ません|ない|おらず)"
)


def _card_named(text: str) -> bool:
    """Whether the text names card data other than to say it was never held or not among it."""
    return any(not _CARD_DENIED.match(text, m.end()) for m in _CARD_RE.finditer(text))



def _classified(hits: list[tuple[AttackRule, re.Match[str]]], text: str, card_leak: re.Match[str] | None,
                in_title: bool) -> AttackResult:
    rule_, m = hits[0]
    if rule_.key == "unauthorized_access" and card_leak and _SHOP.search(text):
        return AttackResult("web_skimming", "attack.web_skimming.card_shop", m.span(), in_title)
    return AttackResult(rule_.key, rule_.id, m.span(), in_title)


def classify(text: str, title: str) -> AttackResult:
    """The attack type of a segment: the title speaks first, then the body."""
    text = _without_comparisons(text)
    card_leak = _CARD_LEAK.search(text)
    has_card = _card_named(text)

    def zone_hits(zone: str) -> list[tuple[AttackRule, re.Match[str]]]:
        hits = _first_hits(zone)
        # Skimming needs card data; without it a changed page is an intrusion.
        return hits if has_card else [h for h in hits if h[0].key != "web_skimming"]

    body_hits: list[tuple[AttackRule, re.Match[str]]] | None = None
    if title:
        hits = zone_hits(title)
        if hits:
            rule_ = hits[0][0]
            result = _classified(hits, text, card_leak, True)
            if result.key == rule_.key and (rule_.key in _CAUSES or rule_.consequence) and len(hits) == 1:
                # A headline that only says 不正アクセス: let the body say more precisely.
                body_hits = zone_hits(text)
                if body_hits:
                    body = _classified(body_hits, text, card_leak, False)
                    if body.key in _CAUSES.get(rule_.key, ()) or (
                        rule_.consequence and body.key not in ("other", "misdelivery", "misconfiguration")
                    ):
                        return body
            return result
    if body_hits is None:
        body_hits = zone_hits(text)
    if body_hits:
        return _classified(body_hits, text, card_leak, False)
    # No mechanism named, but card data leaked: in practice that is a skimmed payment page.
    if card_leak:
        return AttackResult("web_skimming", "attack.web_skimming.card_leak", card_leak.span())
    return AttackResult("other", "attack.other", None)


def _own_damage(text: str) -> bool:
    """Whether the text tells of harm done to its own data, not only to deny it."""
    for m in _OWN_DAMAGE.finditer(text):
        if not OWN_DAMAGE_DENIED.match(text, m.end()) and not _SUPPOSED.match(text, m.end()) and not _quoted(text, m.start()):
            return True
    return False


def _quoted(text: str, at: int) -> bool:
    """Whether `at` is inside a 「quotation」 of its paragraph: what someone said (a caller's
    「お客様の個人情報が漏えいしたため…」), not what the text tells."""
    start = text.rfind("\n\n", 0, at) + 1
    return text.count("「", start, at) > text.count("」", start, at)


# "感染した際の初動対応", "流出した場合に備え": damage supposed, not done
_SUPPOSED = re.compile(r"(?:した|された|する|される|して|されて)?(?:しまった|しまう)?(?:際|場合|とき|時)(?:の|に|は|には)|に備え|しない(?:よう|ため)")


WRITERS_SECTION = rule(
    "not_incident.writers_section",
    rf"\A[■□◆●・#\s]*(?:はじめに|おわりに|さいごに|最後に|終わりに|まとめ|編集後記|あとがき)[!！。]?(?:{vocab.EMOJI_MARK})*\Z",
    examples=("さいごに", "■編集後記", "まとめ"),
    must_not=("3月のまとめ記事で紹介した誤送信",),
    documents=(
        "10月のまとめ\n\n目次\n・通販でカード情報が…\n・病院でメール誤送信\n・さいごに\n\n通販でカード情報が…\n"
        "株式会社こもれびは10月8日、決済画面が改ざんされ、カード情報530件が漏えいした可能性があると発表した。\n\n"
        "病院でメール誤送信\nみどり野病院は10月15日、患者74人分のメールアドレスを誤送信したと発表した。\n\n"
        "さいごに\n今月は誤送信が多かった印象です。来月もまとめます。\n",
    ),
)


NO_LEAK_JUDGED = rule(
    "not_incident.no_leak_judged",
    r"報告不要と(?:して|判断)|報告を要しない(?:と判断|事例)|漏えい等?の(?:おそれ|恐れ)はない(?:と判断)?",
    examples=("漏えい等した個人データ:なし(漏えい等のおそれはないと判断)", "件数:―(報告不要として整理)"),
    must_not=("漏えいのおそれがあります",),
    documents=(
        "報告事例集\n\n事例1 株式会社ヤマブキ屋(小売業)\n事案の概要:ECサイトが不正アクセスを受け、会員4,213人の氏名が漏えいした。\n件数:4,213人\n\n"
        "事例2 医療法人ひいらぎ会(医療業)\n事案の概要:別の患者の通知書を同封して郵送した。\n件数:1人\n\n"
        "事例3 有限会社サクラダ住宅(不動産業)\n事案の概要:従業員がノートパソコンを置き忘れたが、翌日回収した。\n"
        "漏えい等した個人データ:なし(漏えい等のおそれはないと判断)\n件数:―(報告不要として整理)\n",
    ),
)
CORRECTION = rule(
    "not_incident.correction",
    r"(?:おわび|お詫び)と訂正|訂正(?:と|して)(?:おわび|お詫び)|【訂正】|^訂正[:：\s]|記事の訂正|訂正のお知らせ",
    examples=("おわびと訂正", "【訂正】先日の記事について", "訂正のお知らせ"),
    must_not=("個人情報の誤掲載について",),
    documents=(
        "おわびと訂正\n2026年3月4日\n3日に配信した「X運輸、ランサムウェア被害で顧客情報流出か」の記事で、X運輸株式会社が"
        "「顧客情報約5万件が流出した可能性がある」と発表したとあるのは誤りでした。同社が発表したのはシステム障害で、"
        "サイバー攻撃による被害や顧客情報の流出はありませんでした。おわびします。\n",
    ),
)
# What was told as an attack turned out to be a drill: "…メールの訓練だった", "訓練用のメールでした".
DRILL = rule(
    "not_incident.drill",
    r"(?:訓練|演習)(?:用の|の)?(?:メール)?(?:だった|でした|であった|であり|によるもの|と判明|とわかり|と分かり)",
    examples=("大学の発表見たら教職員向けにやった標的型攻撃メールの訓練だった", "送られたのは訓練用のメールでした。"),
    must_not=("今後は標的型メール訓練を実施します。", "訓練を重ねてまいります。"),
)
# Commentary: counts of many incidents, a trend, advice — about no one body's incident.
COMMENTARY = rule(
    "not_incident.commentary",
    r"(?:まとめ|集計|調査)(?:によると|では)|(?:上半期|下半期|年間|前年比|前月比|前年同期)|相次い|増加傾向|件に上っ|割合|傾向",
    examples=("警察庁のまとめによると、2024年上半期に報告されたランサムウェア被害は114件だった。",),
    must_not=("当社のサーバーが不正アクセスを受けました。",),
)
STATISTICS = rule(
    "not_incident.statistics",
    r"(?:事案|事故)(?:の件数)?は、?(?:計|合計|延べ|全)?[0-9,]+件(?:\([^()\n]{0,20}\))?(?:で|と|に)",
    examples=("県が公表した個人情報の漏えい等事案は14件(前年同期比3件増)で、影響を受けた方は延べ1,862名でした。内訳は、誤送付9件です。",),
    must_not=("誤って送付した通知書は12件です。",),
    documents=(
        "令和7年度上半期における県の個人情報漏えい等事案の公表状況について\n"
        "令和7年4月から9月までの間に県が公表した個人情報の漏えい等事案は14件(前年同期比3件増)で、影響を受けた方は延べ1,862名でした。\n",
    ),
)
# A body referred back to: the text is about one, named or not (同社は, 同市によると).
_FIRST_PERSON_RE = re.compile(FIRST_PERSON)
_REFERRED = re.compile(r"同社|同市|同町|同村|同県|同大|同大学|同病院|同行|同機構|同法人|同校|同店|同協会|同センター")


def not_incident_rule(text: str, title: str, *, one_of_many: bool, named: bool = True, typed: bool = False) -> str | None:
    """The rule id when the segment is an advisory, a product bug, a seminar or commentary.

    The headline speaks for this (and, where there is none, the first sentence): a notice's
    body also warns about mail that impersonates it, and that does not make its own breach
    an advisory.
    """
    # (the title line and the text's first words: a title glued to its body reads as one)
    stop = text.find("。")
    head = (title or "") + " " + text[: stop if 0 <= stop < 160 else 160]
    # A bug or a fake that exposed the organisation's own data is still its incident.
    own_exposure = _OWN_EXPOSURE.search(head) or _SHOWN_TO_OTHERS.search(text, 0, 1200)
    for rule_id, pattern in NOT_INCIDENT_RULES:
        # (a product's bug is told by a headline; a notice's body says 不具合 of its own systems)
        zone = (title or "") if rule_id in _TITLE_ONLY else head
        if pattern.search(zone) and not (own_exposure and rule_id in _UNLESS_EXPOSED) and not (
            rule_id == "advisory.impersonation" and _own_damage(text)
        ):
            return rule_id
    # "標的型攻撃メールの訓練だった": what was taken for an attack was the body's own drill.
    if DRILL.search(text):
        return DRILL.id
    # "弊社を装った不審なメールにご注意ください" with no harm of its own is a warning.
    if _SPOOF_TITLE.search(head) and not _own_damage(text):
        return "advisory.spoofed_name"
    # "おわびと訂正": a correction that withdraws what was told of harm (…とあるのは誤りでした,
    # 流出はありませんでした), harm left only in the quotations it corrects
    if CORRECTION.search(head) and not _own_damage(text):
        return CORRECTION.id
    # "当社製ルーターの脆弱性に関する注意喚起": a warning, unless the body tells of harm done.
    if _WARNING_TITLE.search(head) and not _own_damage(text):
        return "advisory.warning"
    # A digest's own opening or closing words (さいごに, 編集後記): the writer's, no item's.
    if one_of_many and title and WRITERS_SECTION.fullmatch(title.strip()):
        return WRITERS_SECTION.id
    # (`typed`: an attack rule named what happened, 封入を誤り…別の世帯に送付)
    if one_of_many and not typed and not _INCIDENT_WORDS.search(text):
        return "not_incident.no_incident_words"
    # A case the body judged no leak at all (a lost PC found again, unopened): none to report.
    if one_of_many and NO_LEAK_JUDGED.search(text):
        return NO_LEAK_JUDGED.id
    # A body's count of its own cases over a period (事案は14件で、前年同期比3件増): statistics.
    if STATISTICS.search(text) and COMMENTARY.search(text):
        return STATISTICS.id
    # No body is named or referred to, and the text counts many incidents: commentary.
    if not named and not _REFERRED.search(text) and not _FIRST_PERSON_RE.search(text) and COMMENTARY.search(text):
        return COMMENTARY.id
    return None


def supply_chain(text: str, orgs: Sequence[OrgMention] = (), base: int = 0) -> tuple[bool, str | None, str | None, tuple[int, int] | None]:
    """(supply_chain, vendor, rule id, span) for a segment.

    `orgs` are the organisation names found in the segment (offsets into the whole text,
    `base` is where the segment starts): the one right after the third party's role or task
    (委託している株式会社X) is the vendor; else a katakana name that provides or made the system.
    """
    cause = SUPPLY_CAUSE.search(text)
    if not cause:
        return False, None, None, None
    for o in orgs:
        s = o.start - base
        if s <= 0 or s > len(text):
            continue
        if VENDOR_AFTER_ROLE.search(text, max(0, s - 40), s):
            return True, o.core, VENDOR_AFTER_ROLE.id, (o.start - base, o.end - base)
    for r in VENDOR_RULES:
        m = r.search(text)
        if m:
            vendor = m.group("v").strip("・")
            if vendor and vendor not in ("第三者", "クレジットカード", "カード", "システム"):
                return True, vendor, r.id, m.span("v")
    return True, None, SUPPLY_CAUSE.id, cause.span()
