"""Which counts are of affected records, and which of them count card data or people.

Every count in a segment is a candidate (numbers.find_counts). A count is dropped when one of
the EXCLUSIONS says what else it counts — staff, inquiries, bounced or spam mail, a total of
which only a part leaked, another incident cited for comparison — and kept when the words
around it (or its heading) are about the incident. Of the kept ones the largest is
records_max, with two corrections: an exact figure beats the rounded one that stands for it,
and the part beats the whole of an ordinary act (発送した1,860通のうち…312通).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import Count, find_counts
from .rules import Rule, rule
from .vocab import COMPARISON, LEAK, POSSIBLE

_NOT_CARD = re.compile(r"カード情報以外|カード情報を含まない|カード情報は含まれ")
_PERSONAL_CTX = re.compile(
    r"個人情報|氏名|名前|お客様|顧客|会員|利用者|患者|学生|生徒|児童|保護者|参加者|申請者|受験者|応募者|受講者|住民|市民|職員|"
    r"組合員|加入者|契約者|被保険者|入居者|入所者|購入者|来場者|卒業生|園児|"
    r"名分|人分|メールアドレス|住所|生年月日|電話番号|(?:した|された|の)方(?!法|針|式|面|向)"
)
# The words of a sentence about the incident's records; a count elsewhere counts something else.
LEAK_CONTEXT = rule(
    "count.context",
    rf"{LEAK}|{POSSIBLE}|対象|影響|閲覧|送信|送付|紛失|盗難|所在不明|被害|含まれ|件数|人数|情報|データ|アドレス|氏名|書類|記載|"
    r"該当|患者|利用者|会員|顧客|ログイン|不正利用|乗っ取|なりすまし|窃取|暗号化|保存|登録|お客様|決済|購入|注文",
    examples=("個人情報1,234件が流出した可能性があります。", "不正ログインされたアカウントは1,234件でした。"),
    must_not=("本社の従業員は300名です。",),
)
# A count of "worth of" people or records (名分, 人分, 件分) counts records whatever surrounds it.
_RECORD_UNITS = frozenset({"名分", "人分", "件分"})
# Bodies counted (52法人, 120社, 23団体) are records only as the owners of what leaked.
_BODY_UNITS = frozenset({"法人", "社", "団体", "事業者", "事業所"})
_PEOPLE_UNITS = frozenset({"名", "人", "人分", "名分", "件", "件分", "者", "の個人"})


@dataclass(frozen=True)
class Exclusion:
    """A rule that says a count counts something other than records.

    `at`: "after" matches right at the count's end, "before" in the few characters before it,
    "sentence" anywhere in its sentence. `units` limits it to counts of those units,
    `below` to counts smaller than that.
    """

    rule: Rule
    at: str
    units: frozenset[str] | None = None
    below: int | None = None
    keep_if: re.Pattern[str] | None = None  # the sentence says it counts records after all
    then: re.Pattern[str] | None = None  # applies only when this follows the count
    not_units: frozenset[str] | None = None  # never to counts of these units


EXCLUSIONS: tuple[Exclusion, ...] = (
    # Another incident or a survey quoted for comparison: "3504万人分に次ぐ", "原因別では"
    Exclusion(rule(
        "count.not.comparison", COMPARISON + "|累計|年間",
        examples=("国内の流出では過去最大の3504万人分に次ぐ規模となった。",),
    ), "sentence"),
    # "2名の教員のIDが" counts staff, "1件は、" enumerates cases
    Exclusion(rule(
        "count.not.staff", r"(?:の|分の)?(?:教員|教諭|教師|職員|教職員|社員|従業員|担当者|派遣社員|委託先)(?:の|が|は|に|で)",
        examples=("の教員のIDが",),
        documents=("2名の教員のIDが不正に利用されたため調査しました。",),
    ), "after"),
    Exclusion(rule(
        "count.not.staff_counted", r"(?:教員|教諭|教師|講師|職員|教職員|社員|従業員|担当者|派遣社員|医師|看護師)\s?",
        examples=("録音された教諭",),
        documents=("会話を録音された教諭1人も出勤できなくなった。",),
    ), "before", then=re.compile(r"(?:の|が|は|に|で(?!す)|も)(?!個人情報|情報|氏名|メールアドレス|住所|データ)"),
        not_units=_RECORD_UNITS),  # (従業員約2,600名分の給与データ: the staff's records)
    Exclusion(rule(
        "count.not.small_thing", r"(?:アカウント|ID|端末|パソコン|PC|サーバー?|事案|案件|もう)",
        examples=("本学教員のメールアカウント",),
        documents=("本学教員のメールアカウント1件が不正アクセスを受け、迷惑メールが送信されました。",),
    ), "before", below=10),
    Exclusion(rule(
        "count.not.case_listed", r"は(?!約)",
        examples=("は、フィッシングメールによるものです。",),
        documents=("被害が発生した事案が2件確認された。1件は、フィッシングメールによるものです。",),
    ), "after", below=10),
    # Bodies counted only as the owners of leaked data
    Exclusion(rule(
        "count.not.bodies", r"(?!(?:分)?(?:の|に関する)[^。、]{0,12}?(?:情報|データ|アドレス|氏名|名称|口座|番号))",
        examples=("が使用している",),
        documents=("ネットワークは民間の福祉関連23団体が使用している。",),
    ), "after", units=_BODY_UNITS),
    # Counts of what came back or who spoke up: "12件の問い合わせ", "約200件が宛先不明で返送"
    Exclusion(rule(
        "count.not.inquiries",
        r"(?:の|から|より)?(?:問い合わせ|お問い合わせ|問合せ|相談|苦情|申し出|申出|通報|指摘|連絡|報告)(?:が|を|は|あり|を受け|が寄せられ)"
        r"|(?:が|は)?(?:不達|宛先不明|送信エラー|エラー|返送|届かな|戻って|配信されな)",
        examples=("のお問い合わせが寄せられています", "が宛先不明で返送されました"),
        documents=("本件について、これまでにお客様から12件のお問い合わせが寄せられています。", "送信したメールのうち約200件が宛先不明で返送されました。"),
    ), "after"),
    Exclusion(rule(
        "count.not.inquiries_before",
        r"(?:不達|宛先不明|送信エラー|エラー|返送|問い合わせ|お問い合わせ|苦情|相談)(?:が|は|の件数は)?(?:約|計)?",
        examples=("寄せられた問い合わせは約",),
        documents=("これまでに寄せられた問い合わせは約30件です。",),
    ), "before"),
    # Mail an intruder sent from a hijacked account counts messages, not records.
    Exclusion(rule(
        "count.not.spam",
        r"(?:の)?(?:迷惑|スパム|フィッシング|不審な?|なりすまし)?メール(?:が|を)?(?:送信|送付|配信|発信)"
        r"|(?:の)?(?:アドレス|宛先)(?:に|へ)[^。]{0,20}(?:迷惑|スパム|フィッシング|不審な?|なりすまし)メール",
        examples=("の迷惑メールが送信されていた",),
        documents=("同日午前2時頃から職員1名のアカウントを使用して約4,800件の迷惑メールが送信されていたことが判明しました。",),
    ), "after"),
    Exclusion(rule(
        "count.not.spam_before",
        r"(?:(?:迷惑|スパム|フィッシング|不審な?|なりすまし)メール|装った[^。、]{0,10}?メール)(?:を|が)?(?:少なくとも|最大)?(?:約|計)?",
        examples=("アカウントから迷惑メール", "当組合を装ったメールが少なくとも約"),
        documents=("乗っ取られたアカウントから迷惑メール1万2千件が送信された。", "当組合を装ったメールが少なくとも約1万2千通送信されました。"),
    ), "before"),
    Exclusion(rule(
        "count.not.spam_sentence", r"(?:迷惑|スパム|なりすまし|不審な)メール",
        examples=("迷惑メールの送信は約2,000件にのぼった。",),
    ), "sentence", units=frozenset({"件", "通"}),
        # (unless the spam carried records: "…迷惑メールであり、個人情報は含まれておりません" says it did not)
        keep_if=re.compile(r"(?:個人情報|氏名|住所|電話番号|生年月日)(?!(?:は|も)?(?:一切)?(?:含まれ|記載され)(?:て)?(?:おりません|いません|おらず|ない|ず))|アドレスが(?:漏|流)")),
    # The mails a count is of, in brackets after them: "外部に転送されたメール（1,128通）に含まれていた
    # 以下の情報" counts messages; the records are counted below them
    Exclusion(rule(
        "count.not.mails_bracketed", r"メール[ ]?[(（]",
        examples=("外部に転送されたメール(",),
        documents=("外部に転送されたメール(1,128通)に含まれていた以下の情報\n・本学学生 214名:氏名、学籍番号\n・学外の関係者 58名:氏名、所属\n",),
    ), "before", units=frozenset({"通", "件"})),
    # Pages, not people: "（送信枚数 計6枚）" under the people the FAX was about
    Exclusion(rule(
        "count.not.sheets", r"枚数\s?[:：]?\s?(?:計|合計)?",
        examples=("送信枚数 計",),
        documents=("要介護認定を申請された村民3名分の氏名、住所を記載した書類をFAXで誤送信しました。\n(送信枚数 計6枚)\n",),
    ), "before", units=frozenset({"枚"})),
    # A precedent the article recalls: "2022年には、X社が…約2万件が流出した", "過去にも…"
    Exclusion(rule(
        "count.not.precedent",
        r"(?:(?<=[。\n])|^)[ \t]*(?:[^。、\n]{1,8}では、?)?(?:(?:19|20)[0-9]{2}年(?:に(?:は|も)|、)|過去に(?:も|は)|以前にも|これまでにも)",
        examples=("。2022年には、", "\n過去にも", "。県内では2022年にも、"),
        must_not=("。2022年5月10日には、",),
        documents=(
            "協会は10月2日、会員サイトが不正アクセスを受け、会員6,812人分の情報が流出したと発表した。"
            "2022年には、建材卸の株式会社ヒダカ建材の受発注サイトが攻撃を受け、取引先約2万件の情報が流出したことが明らかになっている。",
        ),
    ), "sentence"),
    # What a store holds now: "顧客データベースには約2万4千件が登録されている" (not "登録されていた
    # …が流出": what it held is what left)
    Exclusion(rule(
        "count.not.registered_now", r"(?:分)?が(?:登録|保存|保管|蓄積)されて(?:いる|います|おり(?!ました))",
        examples=("が登録されている", "が保存されています"),
        must_not=("が登録されていた", "が保存されておりました"),
        documents=("同社の顧客データベースには約2万4千件が登録されている。持ち出された顧客情報は少なくとも800件以上に上るという。",),
    ), "after", keep_if=re.compile(r"流出|漏えい|漏洩|持ち出|閲覧|盗")),
    # A threshold, not a count: "保有する個人情報は5,000件以下であり、…報告の対象には当たらない"
    Exclusion(rule(
        "count.not.threshold", r"(?:以下|未満)(?:であ|で|の|と|に)|を?超え(?:る|た)?(?:場合|と|の)",
        examples=("以下であり", "未満の事業者", "を超えると"),
        must_not=("以上が流出",),
        documents=("当法人が保有する個人情報は5,000件以下であり、個人情報保護委員会への報告の対象には当たらないと判断しております。",),
    ), "after", keep_if=re.compile(r"流出|漏えい|漏洩|閲覧され|盗")),
    # People doing the work: "2名で確認", "3人体制"
    Exclusion(rule(
        "count.not.workers", r"で(?!あ|す|し)(?:[^。、]{0,6}?を)?(?:確認|対応|作業|チェック|点検|行う|行い)|体制",
        examples=("で番号を確認いたします", "体制で対応"),
        must_not=("であることが確認されました",),
        documents=("患者様の書類を誤送信しました。今後は送信前に2名で番号を確認いたします。",),
    ), "after"),
    # Hits, totals and statistics: アクセス件数, 会員数, 資本金
    Exclusion(rule(
        "count.not.statistic",
        r"(?:アクセスは|アクセス件数|閲覧は|事案が|事案は|被害が|件の事案|従業員数|社員数|会員数|フォロワー|アクセス数|閲覧数|売上|受講者数|"
        r"参加者数|感染者|患者数|病床|ダウンロード|資本金|店舗数|拠点|"
        # how many a body has: 組合員数, 会員登録者数 (not 対象者数: those are the affected)
        r"(?<!対象)(?<!該当)(?<!被害)(?:登録者|利用者|加入者|契約者|組合員|職員|社員|生徒|児童|学生|受講生|口座|顧客|ユーザー|アカウント)数(?:は|が)?(?:全体で|現在|計)?|"
        # how many a body has, said as a sentence: 同社の顧客は約48万人 (not 対象の顧客は: the affected)
        r"(?<!対象)(?<!該当)(?<!被害)(?<!流出)の(?:国内|海外|登録)?(?:顧客|会員|ユーザー|利用者|組合員|契約者|登録者|患者|学生|生徒|職員|従業員|社員)(?:数)?は(?:全体で|現在|計)?|"
        # all of them, counted in brackets: 全利用者(登録者約4万6千人)
        r"全(?:利用者|会員|組合員|顧客|職員|社員|生徒|学生|児童|患者|登録者)(?:様)?\s?[(（])[^。]{0,18}",
        examples=("同社の会員数は約", "同社の口座数は約", "公式サイトの会員登録者数(約", "全利用者(登録者約", "同社の顧客は約", "アプリの国内ユーザーは約"),
        must_not=("対象者数は", "対象の顧客は"),
        documents=("同社の会員数は約20万人で、そのうち1,024件の個人情報が流出しました。",),
    ), "before"),
)
_BEFORE_WINDOW = {"count.not.statistic": 24, "count.not.staff_counted": 6}

# A total of which part was affected: "発送したはがき1,860通のうち…312通", "838件に送信する際、…内の
# 1回目の480件". Only a total of an ordinary act (sent, printed, registered) gives way to its part;
# "94件に不正ログインが行われ、うち31件で不正な注文" keeps 94.
OF_WHICH = rule(
    "count.of_which",
    r"(?:の)?(?:うち|中)|(?:うち|内の|のうち|中)[^。]{0,20}",
    examples=("のうち、別のお客様のものが",),
    documents=("2024年8月19日に発送した点検案内はがき1,860通のうち、宛名と裏面の印刷データがずれ、別のお客様の情報が記載されたはがきが312通ございました。",),
)
# "延べ823件", "延べ送信数は": a count that counts the same things again (each mail sent, each visit)
_CUMULATIVE = re.compile(r"延べ[^、。\n]{0,10}\Z")
_ORDINARY_ACT = re.compile(r"発送|送付|送信|配布|郵送|印刷|作成|登録|会員数|対象者|案内")
_INCIDENT_ACT = re.compile(r"不正|漏|流出|閲覧|誤|紛失|盗|被害|窃取|なりすまし|乗っ取")
_END = re.compile(r"[。\n]")


def _sentence(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    a = max(text.rfind("。", lo, s), text.rfind("\n", lo, s)) + 1
    m = _END.search(text, e, hi)
    return max(a, lo), (m.start() if m else hi)


_KIND_WORD = re.compile(r"(?P<card>(?:クレジット)?カード)|(?P<personal>個人情報|顧客情報|氏名|メールアドレス|住所)")


def _is_card(before: str, after: str) -> bool:
    """Whether a count counts card data: the nearest kind word before it, or one right after it."""
    if _NOT_CARD.search(before):
        return False
    last = None
    for m in _KIND_WORD.finditer(before):
        last = m
    if last is not None:
        return last.lastgroup == "card"
    m = _KIND_WORD.search(after)
    return bool(m and m.lastgroup == "card" and re.match(r"(?:の|分の)?(?:顧客(?:に)?つ?いては、?)?(?:クレジット)?カード", after))


def _excluded(text: str, c: Count, ss: int, se: int) -> bool:
    for ex in EXCLUSIONS:
        if (ex.units is not None and c.unit not in ex.units) or (ex.not_units is not None and c.unit in ex.not_units):
            continue
        if ex.below is not None and c.value >= ex.below:
            continue
        if ex.at == "after":
            hit = ex.rule.match(text, c.end, min(se, c.end + 40))
        elif ex.at == "before":
            # a match that ends right where the count begins
            lo = max(ss, c.start - _BEFORE_WINDOW.get(ex.rule.id, 25))
            hit = next((m for m in ex.rule.finditer(text, lo, c.start) if m.end() == c.start), None)
        else:
            hit = ex.rule.search(text, ss, se)
        if hit is None or (ex.then is not None and not ex.then.match(text, c.end)):
            continue
        if ex.keep_if is not None and ex.keep_if.search(text[c.end : se] if ex.at == "before" else text[ss:se]):
            continue
        return True
    return False


def _of_which_before(text: str, lo: int, at: int) -> bool:
    return any(m.end() == at for m in OF_WHICH.finditer(text, lo, at))


def _ordinary_total(text: str, ss: int, c: Count) -> bool:
    """Whether the clause of a count tells of an ordinary act (発送した…1,860通), not the incident."""
    # (what follows "…通のうち、" tells of the part: 誤封入が発生した可能性があるのは…412名)
    after = "" if text.startswith(("のうち", "うち", "中"), c.end) else text[c.end : min(len(text), c.end + 12)]
    clause = text[max(ss, c.start - 40) : c.end] + after
    return bool(_ORDINARY_ACT.search(clause)) and not _INCIDENT_ACT.search(clause)


def pick_counts(text: str, s0: int, e0: int) -> tuple[Count | None, Count | None, Count | None]:
    """(largest affected count, largest card count, largest count of people) in text[s0:e0]."""
    card: Count | None = None
    personal: Count | None = None
    prev_end = s0
    pool: list[Count] = []
    totals: set[int] = set()
    people: list[Count] = []
    for c in find_counts(text, s0, e0):
        ss, se = _sentence(text, c.start, c.end, s0, e0)
        if _excluded(text, c, ss, se):
            continue
        sentence = text[ss:se]
        if len(sentence) < 60 or not LEAK_CONTEXT.search(sentence):
            # A bare line under a heading ("納税通知書96件(88名)"): the heading says what it counts.
            prev = text[s0:ss].rstrip()
            prev_line_start = text.rfind("\n", s0, s0 + len(prev)) + 1
            sentence = text[prev_line_start:se]
        # What the count counts is said between the previous count and this one.
        near = text[max(ss, prev_end, c.start - 40) : c.start]
        prev_end = c.end
        if c.unit not in _RECORD_UNITS and not LEAK_CONTEXT.search(sentence):
            continue
        if OF_WHICH.match(text, c.end, c.end + 3) and _ordinary_total(text, ss, c):
            totals.add(c.start)
        elif pool and pool[-1].start >= ss and _of_which_before(text, max(pool[-1].end, c.start - 24), c.start) and _ordinary_total(text, ss, pool[-1]):
            totals.add(pool[-1].start)
        if text.startswith("延べ", c.start) or _CUMULATIVE.search(text, max(ss, c.start - 12), c.start):
            totals.add(c.start)  # 延べ送信数は823件: the same records counted again, not how many
        pool.append(c)
        if _is_card(near, text[c.end : min(se, c.end + 16)]):
            if card is None or c.value > card.value:
                card = c
        elif c.unit in _PEOPLE_UNITS and _PERSONAL_CTX.search(near + text[c.end : min(se, c.end + 20)]):
            people.append(c)
            if personal is None or c.value > personal.value:
                personal = c
    best = max(pool, key=lambda c: c.value, default=None)
    if best is not None and best.start in totals:
        parts = [c for c in pool if c.start not in totals]
        if parts:
            best = max(parts, key=lambda c: c.value)
    if personal is not None and personal.start in totals:
        counted = [c for c in people if c.start not in totals]
        if counted:
            personal = max(counted, key=lambda c: c.value)
    return _exact(best, pool), card, _exact(personal, pool) if personal is not None and personal.qualifier else personal


def _exact(best: Count | None, pool: list[Count]) -> Count | None:
    """A rounded figure (約1.2万件) beside the exact one it rounds (11,958件): the exact one.

    Headlines round; the body gives the figure. Only a count within 15 % of the rounded one
    replaces it.
    """
    if best is None or not (best.qualifier == "約" or (best.value >= 10_000 and best.value % 1000 == 0)):
        return best
    exact = [
        c for c in pool
        if c is not best and c.qualifier is None and c.value % 100 != 0 and abs(c.value - best.value) <= 0.15 * best.value
    ]
    return max(exact, key=lambda c: c.value) if exact else best
