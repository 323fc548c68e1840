"""Synthetic incidents for benchmarks and demos: invented organisations, generated notices.

``synthesize(session, count=N)`` adds N incidents, each with its organisation and one
source whose text reads like a Japanese breach notice (お詫びとお知らせ), with the spelling
variety real notices have (漏えい / 漏洩 / 流出, ｶｰﾄﾞ in half-width, ぜい弱性). Every name is
made up from syllables and word lists; nothing is copied from a real notice. Rows go in by
batched Core inserts and the search index is built at the end, so 100k takes minutes, not hours.
Deterministic for a given ``seed``.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlmodel import Session

from app import ppc
from app.models import Incident, IncidentSource, Organization, Source
from app.search import reindex_incidents
from app.text import match_key

SYLLABLES = ("ア イ ウ エ オ カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ノ ハ ヒ フ ホ "
             "マ ミ ム メ モ ヤ ユ ヨ ラ リ ル レ ロ ワ ン ガ ギ グ ゴ ザ ジ ズ ダ デ ド バ ビ ブ "
             "ベ ボ パ ピ プ ペ ポ").split()
KANJI_PREFIXES = ("北浜", "青葉", "東和", "三つ葉", "大和", "明星", "朝日野", "若葉", "桜台",
                  "白鷺", "瑞穂", "港南", "新栄", "丸岡", "日進", "高砂", "千歳", "富士見",
                  "弥生", "栄光", "東雲", "西陣", "南風", "中央", "旭", "松風", "城北", "緑ヶ丘")
COMPANY_TAILS = ("物産", "商事", "工業", "テック", "システムズ", "ホールディングス", "食品",
                 "製薬", "電機", "出版", "不動産", "運輸", "印刷", "建設", "ネット", "ソリューションズ",
                 "トラベル", "ファッション", "化粧品", "スポーツ", "ペット", "楽器", "書店", "酒造")
PLACES = ("青葉", "港南", "千歳", "若葉", "桜台", "富士見", "白鷺", "瑞穂", "日進", "高砂")
SERVICE_TAILS = ("オンラインストア", "公式通販サイト", "マート", "会員サイト", "アプリ",
                 "ECサイト", "ネットショップ", "予約システム", "ポイントサービス")
VENDORS = ("株式会社ペイリンク", "クロスカートシステム株式会社", "株式会社ミツバEC",
           "ネクストペイメント株式会社", "株式会社ホシゾラ・クラウド")
ATTACKS = {  # key: (weight, cause sentence, how it was found)
    "web_skimming": (22, "決済画面が改ざんされ、クレジットカード情報が窃取された", "決済代行会社からの連絡"),
    "unauthorized_access": (18, "システムのぜい弱性を突いた第三者による不正アクセスを受けた",
                            "サーバーの異常な通信の検知"),
    "ransomware": (15, "サーバーがランサムウェアに感染し、ファイルが暗号化された", "業務システムの停止"),
    "malware": (8, "従業員の端末がマルウェア「エモテット」に感染した", "取引先からの問い合わせ"),
    "account_takeover": (8, "会員アカウントに対するパスワードリスト攻撃による不正ログインが発生した",
                         "お客様からの問い合わせ"),
    "phishing": (5, "従業員がフィッシングメールに記載されたURLからIDとパスワードを入力した",
                 "メールサーバーの監視"),
    "misdelivery": (10, "担当者の操作ミスによりメールの誤送信が発生した", "受信者からの指摘"),
    "misconfiguration": (6, "クラウドストレージの設定不備により、ファイルが外部から閲覧可能な状態となっていた",
                         "外部の研究者からの指摘"),
    "loss_theft": (5, "従業員が業務用のUSBメモリを紛失した", "社内での確認"),
    "insider": (2, "元従業員が顧客情報を不正に持ち出した", "社内調査"),
    "other": (1, "原因は現在調査中である", "社内調査"),
}
ITEMS_CARD = ["氏名", "クレジットカード番号", "有効期限", "セキュリティコード", "メールアドレス"]
ITEMS = ["氏名", "住所", "電話番号", "メールアドレス", "生年月日", "性別", "会員ID", "パスワード",
         "購入履歴", "患者氏名", "診療情報", "学籍番号", "口座番号", "勤務先"]
LEAK_WORDS = ("漏えい", "漏洩", "流出", "漏えい")
QUALIFIERS = (None, None, "最大", "約", "以上", "可能性")


@dataclass
class _Org:
    id: int
    name: str
    core: str
    kind: str  # company, hospital, school, city


def _katakana_name(rng: random.Random) -> str:
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return name if name[0] != "ン" else "ア" + name[1:]


def _org_name(rng: random.Random) -> tuple[str, str, str]:
    roll = rng.random()
    if roll < 0.08:
        core = f"{rng.choice(PLACES)}{_katakana_name(rng)}病院"
        return f"医療法人{core}", core, "hospital"
    if roll < 0.13:
        core = f"{rng.choice(KANJI_PREFIXES)}{rng.choice(('学園', '大学', '学院'))}{rng.randint(1, 99)}"
        return f"学校法人{core}", core, "school"
    if roll < 0.18:
        core = f"{rng.choice(PLACES)}{rng.choice(('市', '町', '村'))}{_katakana_name(rng)}センター"
        return core, core, "city"
    stem = _katakana_name(rng) if rng.random() < 0.6 else rng.choice(KANJI_PREFIXES) + _katakana_name(rng)
    core = stem + rng.choice(COMPANY_TAILS)
    form = rng.choice(("株式会社", "株式会社", "株式会社", "有限会社", "合同会社"))
    return (f"{form}{core}" if rng.random() < 0.7 else f"{core}{form}"), core, "company"


def _count(rng: random.Random) -> int | None:
    if rng.random() < 0.12:
        return None
    return max(1, int(rng.lognormvariate(6.5, 2.0)))


def _date_ja(d: date, rng: random.Random) -> str:
    if rng.random() < 0.3:
        return f"令和{d.year - 2018}年{d.month}月{d.day}日" if d.year >= 2019 else f"平成{d.year - 1988}年{d.month}月{d.day}日"
    return f"{d.year}年{d.month}月{d.day}日"


def _notice(rng: random.Random, *, org: str, service: str | None, kind: str, vendor: str | None,
            discovered: date | None, disclosed: date, records: int | None, qualifier: str | None,
            items: list[str]) -> tuple[str, str]:
    _w, cause, found_by = ATTACKS[kind]
    leak = rng.choice(LEAK_WORDS)
    where = f"弊社が運営する「{service}」" if service else "弊社"
    title = rng.choice((f"不正アクセスによる個人情報{leak}に関するお詫びとお知らせ",
                        f"個人情報{leak}の可能性に関するお知らせ",
                        f"{service or '弊社システム'}における個人情報{leak}に関するお詫び",
                        "お客様情報の流出に関するお詫びとご報告"))
    items_text = "、".join(items)
    if rng.random() < 0.06:  # some notices arrive in half-width katakana
        items_text = items_text.replace("クレジットカード", "ｸﾚｼﾞｯﾄｶｰﾄﾞ").replace("カード", "ｶｰﾄﾞ")
    count_text = "件数は現在調査中です" if records is None else (
        f"{qualifier or ''}{records:,}件" + ("の可能性があります" if qualifier == "可能性" else "です"))
    lines = [
        title,
        f"{_date_ja(disclosed, rng)}\n{org}",
        f"このたび、{where}において、{cause}ことにより、お客様の個人情報が{leak}した"
        f"{'可能性がある' if rng.random() < 0.5 else ''}ことが判明いたしました。"
        "お客様をはじめ関係者の皆様に多大なるご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。",
        "1. 経緯",
        (f"{_date_ja(discovered, rng)}、{found_by}により本件が発覚しました。" if discovered
         else f"{found_by}により本件が発覚しました。")
        + "直ちに外部のセキュリティ専門会社に調査を依頼し、影響範囲の特定を進めてまいりました。",
        f"2. {leak}した（可能性のある）情報",
        f"{items_text}。対象となるお客様は{count_text}。",
    ]
    if vendor:
        lines.append(f"なお、本件は決済システムの委託先である{vendor}のサーバーへの攻撃に起因するものです。")
    if kind == "web_skimming":
        lines.append("お客様におかれましては、クレジットカードの利用明細に身に覚えのない請求がないか、"
                     "ご確認いただきますようお願い申し上げます。")
    if kind == "ransomware":
        lines.append("現時点で、情報の外部への公開や不正利用の事実は確認されておりません。")
    lines += [
        "3. 再発防止策",
        rng.choice(("システムのセキュリティ対策および監視体制を強化し、再発防止に努めてまいります。",
                    "従業員への教育を徹底し、個人情報の取り扱いに関する管理体制を見直してまいります。",
                    "ぜい弱性診断を定期的に実施し、同様の事態の再発防止に努めます。")),
        "本件は個人情報保護委員会へ報告済みであり、警察にも相談しております。",
        f"【お問い合わせ窓口】{org} お客様相談室 電話 0120-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
    ]
    return title, "\n\n".join(lines)


def _next_id(session: Session, model: type) -> int:
    return (session.execute(select(func.max(model.id))).scalar() or 0) + 1


def synthesize(session: Session, *, count: int, seed: int = 0, batch: int = 2000,
               index: bool = True) -> int:
    """Add ``count`` synthetic incidents (with organisations and sources); does not commit."""
    # Two generators: organisation names may be redrawn (a key already taken), and that
    # must not shift the incidents drawn after them.
    names_rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    rng = random.Random(seed + 1)  # noqa: S311
    now = datetime.now(UTC)
    taken = set(session.execute(select(Organization.match_key)).scalars())
    org_id, inc_id = _next_id(session, Organization), _next_id(session, Incident)
    src_id, link_id = _next_id(session, Source), _next_id(session, IncidentSource)
    first_incident = inc_id

    orgs: list[_Org] = []
    org_rows: list[dict[str, Any]] = []
    while len(orgs) < max(1, count // 2):
        name, core, kind = _org_name(names_rng)
        key = match_key(name)
        if key in taken:
            continue
        taken.add(key)
        orgs.append(_Org(org_id, name, core, kind))
        org_rows.append({"id": org_id, "name": name, "core_name": core, "slug": f"synth-org-{org_id}",
                         "match_key": key, "aliases": [], "created_at": now, "updated_at": now})
        org_id += 1
    for chunk in range(0, len(org_rows), batch):
        session.execute(insert(Organization), org_rows[chunk:chunk + batch])

    kinds = list(ATTACKS)
    weights = [ATTACKS[k][0] for k in kinds]
    start = date(2016, 1, 1)
    incidents: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []

    def flush() -> None:
        for model, rows in ((Incident, incidents), (Source, sources), (IncidentSource, links)):
            if rows:
                session.execute(insert(model), rows)
                rows.clear()

    for n in range(count):
        org = orgs[min(int(rng.paretovariate(1.2)) - 1, len(orgs) - 1)] if rng.random() < 0.2 \
            else rng.choice(orgs)
        kind = rng.choices(kinds, weights)[0]
        service = None
        if org.kind == "company" and rng.random() < 0.6:
            service = org.core[: rng.randint(2, max(2, len(org.core) - 2))] + rng.choice(SERVICE_TAILS)
        vendor = rng.choice(VENDORS) if kind == "web_skimming" and rng.random() < 0.35 else None
        disclosed = start + timedelta(days=rng.randint(0, 365 * 10 - 1))
        discovered = disclosed - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.9 else None
        records, qualifier = _count(rng), rng.choice(QUALIFIERS)
        pool = ITEMS_CARD if kind == "web_skimming" else ITEMS
        items = rng.sample(pool, rng.randint(1, min(5, len(pool))))
        title, body = _notice(rng, org=org.name, service=service, kind=kind, vendor=vendor,
                              discovered=discovered, disclosed=disclosed, records=records,
                              qualifier=qualifier if records else None, items=items)
        incidents.append({
            "id": inc_id, "slug": f"synth-{inc_id}", "organization": org.name,
            "organization_core": org.core, "organization_id": org.id, "service": service,
            "attack_type": kind, "supply_chain": vendor is not None, "vendor": vendor,
            "discovered_on": discovered, "disclosed_on": disclosed,
            "records_max": records, "records_max_qualifier": qualifier if records else None,
            "card_records": records if kind == "web_skimming" else None,
            "card_records_qualifier": None, "personal_records": records,
            "personal_records_qualifier": None, "status": "confirmed", "title": title,
            "leaked_items": items, "merged_into_id": None, "created_at": now, "updated_at": now,
            "reported_to_ppc_later": [],
        })
        incidents[-1]["ppc_verdict"] = ppc.verdict(SimpleNamespace(**incidents[-1]))  # (a core insert: no flush)
        sources.append({
            "id": src_id, "uri": f"https://synthetic.invalid/notices/{inc_id}.html", "title": title,
            "published_on": disclosed, "encoding": "utf-8", "format": "html",
            "content_hash": hashlib.sha256(f"{seed}:{inc_id}:{body}".encode()).hexdigest(),
            "fetched_at": now, "text": body, "etag": None, "last_modified": None,
        })
        links.append({"id": link_id, "incident_id": inc_id, "source_id": src_id,
                      "segment_start": 0, "segment_end": len(body), "evidence": {},
                      "facts": {"attack_type": kind}, "created_at": now})
        inc_id, src_id, link_id = inc_id + 1, src_id + 1, link_id + 1
        if len(incidents) >= batch or n == count - 1:
            flush()
    flush()

    if session.get_bind().dialect.name == "postgresql":  # ids were given: move the sequences on
        for name in ("organization", "incident", "source", "incidentsource"):
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                                 f"(SELECT max(id) FROM {name}))"))
    if index:
        ids = list(range(first_incident, inc_id))
        for chunk in range(0, len(ids), 500):
            reindex_incidents(session, ids[chunk:chunk + 500])
    return count
