"""Word pools for generated records.

Deliberately mixed scripts (accents, CJK, Cyrillic, Arabic, emoji) and a few empty strings, because
connectors break on exactly these: the API escapes them as \\uXXXX (reference §5).
Domains are the reserved example.* names so that no generated email can reach a real mailbox.
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Ana", "José", "Zoë", "Łukasz", "Søren", "Chloé", "Mikael", "Noémie", "Jürgen", "Ömer",
    "François", "Siobhán", "Renée", "Ingrid", "Dmitri", "Алексей", "Наталья", "美咲", "太郎", "伟",
    "秀英", "민준", "서연", "Ahmed", "فاطمة", "Priya", "Arjun", "Kwame", "Amara", "Liam", "Olivia",
    "Noah", "Emma", "Mateo", "Sofía", "Lucas", "Mia", "Hiroshi", "Yuki", "Élodie", "Björn",
    "Grace 🌸", "Sam 🚀", "", "O'Brien", "Anne-Marie", "D'Angelo", "Nguyễn", "Thảo", "Zoltán",
)

LAST_NAMES: tuple[str, ...] = (
    "García", "Müller", "Dubois", "Nørgaard", "Kowalski", "Rossi", "Smith", "Johnson", "Williams",
    "Brown", "Jones", "Henriksson", "Schäfer", "Ñúñez", "Öztürk", "Ó Súilleabháin", "Иванов",
    "Петрова", "山田", "佐藤", "王", "李", "김", "박", "Haddad", "الهاشمي", "Patel", "Okafor",
    "Mensah", "Van der Berg", "de la Cruz", "Lefèvre", "Çelik", "Łęcki", "Żak", "Nakamura",
    "Takahashi", "Tran", "Pham", "", "Smith-Jones", "O'Neil", "Kästner", "Gómez ✨", "Lee",
)

COMPANY_WORDS: tuple[str, ...] = (
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent",
    "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Aperture", "Monarch", "Nakatomi", "Oceanic",
    "Ñandú", "Café Müller", "Société Générale d'Exemple", "東京商事", "北京科技", "Ромашка",
    "Søstrene", "Zürich Ölwerke", "Blue Bottle 🍵", "Quintessential", "Pied Piper",
)

COMPANY_SUFFIXES: tuple[str, ...] = ("Inc.", "LLC", "GmbH", "S.A.", "Ltd", "AB", "KK", "", "& Co.", "S.à r.l.")

DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net", "mail.example.com", "example.test")

WORDS: tuple[str, ...] = (
    "alpha", "bright", "quarterly", "renewal", "pilot", "expansion", "upgrade", "enterprise",
    "starter", "annual", "premium", "onboarding", "café", "naïve", "façade", "résumé", "jalapeño",
    "smörgåsbord", "über", "déjà vu", "piñata", "交渉", "契約", "견적", "предложение", "عرض",
    "🚀", "🎉", "✅", "follow-up", "demo", "trial", "webinar", "newsletter", "launch", "summer",
    "winter", "black friday", "Q3", "EMEA", "APAC", "LATAM", "north", "south", "priority",
)

CITIES: tuple[str, ...] = (
    "Chicago", "Zeuthen", "München", "São Paulo", "Kraków", "Reykjavík", "Malmö", "Zürich",
    "東京", "서울", "Москва", "القاهرة", "Montréal", "Bogotá", "Dublin", "Austin", "", "Lagos",
)

COUNTRIES: tuple[str, ...] = ("US", "DE", "FR", "BR", "PL", "IS", "SE", "CH", "JP", "KR", "RU", "EG", "CA", "CO", "IE", "NG")

TAG_NAMES: tuple[str, ...] = (
    "customer", "lead", "vip", "newsletter", "webinar-attendee", "trial", "churned", "partner",
    "händler", "préféré", "高優先度", "중요", "важно", "عميل", "🔥 hot", "cold", "event 2024",
    "imported", "unsubscribed-once", "beta",
)

LIST_NAMES: tuple[str, ...] = (
    "Newsletter", "Product Updates", "Webinars", "Kunden DACH", "Clients France", "顧客リスト",
    "Beta Testers 🧪", "Partners", "Events", "Onboarding",
)

PIPELINE_NAMES: tuple[str, ...] = (
    "Sales Pipeline", "Partnerships", "Renewals", "Enterprise Deals", "Vertrieb DACH", "Ventes France",
    "営業パイプライン", "Upsell 🚀", "Inbound", "Outbound",
)

STAGE_NAMES: tuple[str, ...] = (
    "To Contact", "In Contact", "Follow Up", "Proposal Sent", "Negotiation", "Closed Won",
)

STAGE_COLORS: tuple[str, ...] = ("18D499", "32B0FC", "E6CE4B", "C481DF", "F57D62", "6B7D94")

JOB_TITLES: tuple[str, ...] = (
    "Señor Developer", "Product Manager", "CEO", "Head of Marketing", "Geschäftsführer",
    "Directrice commerciale", "営業部長", "", "Office Manager", "VP Sales 📈",
)

CURRENCIES: tuple[str, ...] = ("usd", "eur", "gbp")

TIMEZONES: tuple[str, ...] = ("America/Chicago", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
