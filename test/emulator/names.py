"""Word pools for the data generator (unicode on purpose: accents, CJK,
Cyrillic, Greek, emoji, mixed case, quotes and URL-special characters)."""

# Curated company names: unique, used first by the regress and demo datasets.
REGRESS_COMPANIES = [
    "Acme Corporation", "Ångström Labs", "Café Crème SA", "Müller & Söhne GmbH",
    "東京データ株式会社", "Zoë's Bakery 🍰", "iRobotics", "acme analytics",
    "ACME Holdings", "Øresund Logistik", "Łódź Metalworks", "Ñandú Foods",
    "Ελληνική Τεχνολογία", "Москва Софт", "北京云计算", "서울 소프트웨어",
    "O'Brien & Sons", 'The "Quoted" Company', "Comma, Inc.", "Percent 100% Ltd",
    "Plus+Minus AB", "Slash/Path GmbH", "Émile Zola Éditions", "Zürich Re-Insure",
    "Rocket 🚀 Labs",
]

DEMO_COMPANIES = [
    "Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys",
    "Wide World Importers", "Adventure Works", "Blue Yonder Airlines", "Coho Winery",
    "Alpine Ski House", "Margie's Travel", "Proseware Inc", "Lucerne Publishing",
    "Graphic Design Institute", "Humongous Insurance", "Litware Inc", "Woodgrove Bank",
    "Trey Research", "Fourth Coffee", "Wingtip Toys", "Relecloud",
    "Bellows College", "Datum Corporation", "Southridge Video", "City Power & Light",
    "Consolidated Messenger", "Nod Publishers", "School of Fine Art", "VanArsdel Ltd",
    "Munson's Pickles", "First Up Consultants", "Lamna Healthcare", "Best For You Organics",
    "Liberty's Delightful Sinful Bakery", "Tailwind Traders", "Hexa Café", "Nordlys Energi",
    "Søndergaard Design", "Björk & Berg", "Kōbō Robotics", "Sakura Logistics 桜",
    "Ibérica Solar", "Città Vecchia Foods", "Düsseldorf Digital", "Kraków Systems",
    "Ölands Kvarn", "Mañana Ventures", "Équipe Azur", "Panda Cloud 熊猫",
    "Aurora Borealis Analytics", "Quokka Quality",
]

PREFIXES = [
    "Nordic", "Blue", "Atlas", "Zeta", "Helios", "Quantum", "Silver", "Green",
    "Polar", "Crimson", "Golden", "Urban", "Vivid", "Nova", "Apex", "Delta",
    "Ångström", "Café", "Müller", "Søren", "Łukasz", "Ñandú", "Über", "Élan",
    "東京", "北京", "서울", "Москва", "Αθήνα", "iCloud", "eVolve", "deltaFLOW",
    "Rocket 🚀", "Star ⭐", "Über", "Zoë", "Öko", "Crème", "São Paulo", "Kraków",
]
CORES = [
    "Data", "Systems", "Analytics", "Logistics", "Foods", "Labs", "Software",
    "Robotics", "Energy", "Health", "Media", "Finance", "Capital", "Design",
    "Cloud", "Networks", "Metals", "Textiles", "Pharma", "Travel", "Insurance",
    "Consulting", "Studios", "Motors", "Bakery", "Brewing", "Solar", "Security",
]
SUFFIXES = [
    "Inc.", "Ltd", "GmbH", "AB", "AS", "SA", "S.A.", "BV", "Oy", "LLC",
    "株式会社", "有限公司", "Group", "& Co.", "Holdings", "", "", "",
]

FIRST_NAMES = [
    "Anna", "Erik", "José", "Zoë", "Łukasz", "Søren", "Chloé", "Björn", "Ingrid",
    "Mateo", "Sofía", "Amélie", "François", "Jürgen", "Ólafur", "Ayşe", "Mehmet",
    "Priya", "Arjun", "Wei", "Yuki", "Hiroshi", "Min-jun", "Olga", "Дмитрий",
    "Νίκος", "Fatima", "Omar", "Liam", "Olivia", "Noah", "Emma", "Ava", "Lucas",
    "Mia", "Ethan", "Léa", "Nils", "Saoirse", "Siobhán", "Þóra", "Ngozi", "Kwame",
    "Lara", "Alex", "Sarah", "Niklas", "Diego", "陳", "佐藤", "김",
]
LAST_NAMES = [
    "Andersson", "García", "Müller", "Nowak", "Jørgensen", "Dubois", "Rossi",
    "O'Connor", "Smith", "Johnson", "Williams", "Brown", "Jones", "Kowalski",
    "Novák", "Horváth", "Yılmaz", "Kumar", "Sharma", "Wang", "Li", "Tanaka",
    "Suzuki", "Kim", "Park", "Ivanova", "Петров", "Παπαδόπουλος", "Haddad",
    "Okafor", "Mensah", "Croft", "van der Berg", "de la Cruz", "Núñez",
    "Fernández", "Lefèvre", "Šimić", "Đorđević", "Ó Briain", "明", "太郎", "민준",
]

COUNTRIES = [
    ("Sweden", ["Stockholm", "Göteborg", "Malmö"]), ("Germany", ["Berlin", "München", "Köln"]),
    ("France", ["Paris", "Lyon", "Besançon"]), ("Spain", ["Madrid", "A Coruña", "Málaga"]),
    ("Japan", ["東京", "大阪", "Kyoto"]), ("China", ["北京", "上海", "深圳"]),
    ("United States", ["New York", "San Francisco", "Austin"]),
    ("United Kingdom", ["London", "Manchester", "Edinburgh"]),
    ("Poland", ["Kraków", "Łódź", "Gdańsk"]), ("Latvia", ["Riga", "Daugavpils"]),
    ("Brazil", ["São Paulo", "Rio de Janeiro"]), ("Denmark", ["København", "Aarhus"]),
    ("Greece", ["Αθήνα", "Θεσσαλονίκη"]), ("Korea", ["서울", "부산"]),
]

PHASES = ["Onboarding", "Adoption", "Renewal", "Expansion", "At Risk", "Churned"]
STATUSES = ["prospect", "coming", "customer", "customer", "customer", "canceled", "lost"]
TAGS = ["enterprise", "smb", "mid-market", "partner", "beta", "vip", "EMEA", "APAC",
        "Americas", "needs-training", "upsell", "renewal-2025", "ñ-tag", "タグ"]
PRODUCTS = ["Core Platform", "Analytics Add-on", "Advanced Onboarding", "Premium Support",
            "API Access", "Large License", "Recipe Database", "SSO Module"]
POSITIONS = ["CEO", "CTO", "VP Customer Success", "Head of Ops", "Product Manager",
             "Engineer", "Analyst", "Directeur Général", "Geschäftsführer", "Admin", None]
CURRENCIES = ["USD", "EUR", "SEK", "GBP", "JPY"]

TEXTS = [
    "Renewal discussion scheduled", "Champion left the company", "Très bon client",
    "Needs SSO before Q3", "要跟进", "Uses the API heavily", "Ölbrauerei – Kundenfeedback",
    "Quote: \"we love it\"", "Path a/b\\c", "Emoji check ✅", "", "multi\nline\ntext",
]
HTML = [
    "<p>Up and coming tech company</p>",
    "<p>Key account with <b>strong</b> adoption.</p><p>Renewal in Q4.</p>",
    "<p>Kontakt: <a href=\"https://example.com\">Jürgen</a> &amp; team</p>",
    "<ul><li>SSO</li><li>API</li><li>Reports</li></ul>",
    "<p>日本語のメモ</p>",
    "<p>Call the client.</p>",
    "<p>Book a thing</p><p>Was it fun?</p>",
    "<h2>Status</h2><p>Green 🟢 — on track</p>",
]
TASK_ACTIONS = ["Daily contact", "Send them gift card", "QBR preparation", "Follow up on NPS",
                "Kick-off call", "Renewal review", "Onboarding session", "Check usage dip",
                "Send invoice reminder", "Schedule training", "Réunion de suivi", "製品デモ"]
CONVERSATION_SUBJECTS = ["Weekly sync", "New conversation", "Escalation", "Feature request",
                         "Pricing question", "Onboarding call", "Re: invoice #123",
                         "Feedback über das Dashboard", "QBR notes"]
TICKET_TITLES = ["Login fails with SSO", "Export to CSV broken", "Slow dashboard",
                 "Wrong invoice amount", "API returns 500", "Cannot invite users",
                 "Ümlaut in name breaks search", "Feature: dark mode"]
ISSUE_TITLES = ["Problem with integration", "Sync delay", "Data mismatch in reports",
                "Broken webhook", "Email bounces", "SSO certificate expiring"]
CAMPAIGN_NAMES = ["Spring Upsell", "NPS Q2", "Onboarding Drip", "Renewal Push",
                  "Webinar Invite", "Beta Program"]
OBJECTIVE_NAMES = ["Increase adoption", "Reduce churn risk", "Expand to new team",
                   "Roll out SSO", "Executive sponsorship", "Automate reporting"]
PROJECT_NAMES = ["SAP Integration", "Big project", "Data migration", "Rollout EMEA",
                 "Älvdalen 2", "Pilot", "Salesforce sync", "Training programme"]
ASSET_NAMES = ["Gold asset", "ZPA Product", "Trello.io", "Main workspace", "Test tenant",
               "Production instance", "Sandbox"]
CHURN_REASONS = ["Price", "Missing features", "Poor adoption", "Acquired", "Budget cuts",
                 "Switched to competitor"]
SALES_STAGES = ["Discovery", "Demo", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]
WORKFLOW_NAMES = ["QBR", "Churn Prevention", "Test Playbook", "Onboarding", "Renewal"]
WORKSPACE_NAMES = ["HQ", "EMEA Team", "Pilot Group", "Engineering", "Sales Ops"]
DEAL_STAGES = ["Qualification", "Proposal", "Négociation", "Closed Won", "Closed Lost"]
PACKAGES = ["Core", "Analytics", "Enterprise"]
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", None]
DIMENSIONS = ["logins", "active_users", "api_calls", "reports_created", "storage_gb"]

# custom fields per model: (name, type, listValues).  Companies and end users
# have every type; the other models a few.
CUSTOM_FIELDS = {
    "company": [
        ("Industry", "list", ["Software", "Retail", "Finance", "Healthcare", "Manufacturing", "Éducation"]),
        ("Segments", "multipicklist", ["SMB", "Mid-Market", "Enterprise", "Public Sector", "Startup"]),
        ("Seats", "number", []), ("# Overdue Invoices", "number", []),
        ("Health Score (%)", "number", []), ("CompanyRating", "rating", []),
        ("Account Notes", "rich text", []), ("Region Code", "text", []),
        ("Is Strategic", "checkbox", []), ("Contract Signed Day", "day", []),
        ("Last QBR", "date", []), ("Account Manager", "team member", []),
        ("Support Team", "team members", []), ("Billing Phone", "phone", []),
        ("Billing Email", "email", []), ("Main Contact", "enduser", []),
        ("Champions", "endusers", []), ("Website Link", "url", []),
    ],
    "enduser": [
        ("Department", "list", ["Sales", "Marketing", "IT", "Finance", "Operations"]),
        ("Interests", "multipicklist", ["Reporting", "API", "Mobile", "Integrations"]),
        ("Logins", "number", []), ("Satisfaction", "rating", []),
        ("Bio", "rich text", []), ("Nickname", "text", []), ("Decision Maker", "checkbox", []),
        ("Birthday", "day", []), ("Last Training", "date", []),
        ("Buddy", "team member", []), ("Coaches", "team members", []),
        ("Mobile", "phone", []), ("Private Email", "email", []),
        ("Manager", "enduser", []), ("Reports", "endusers", []), ("LinkedIn", "url", []),
    ],
    "license": [("Seats Purchased", "number", []), ("PO Number", "text", []),
                ("Auto Invoice", "checkbox", [])],
    "invoice": [("Sent", "checkbox", []), ("Sent Date", "date", []), ("Notes", "text", [])],
    "asset": [("Main Product", "multipicklist", PRODUCTS), ("Overall Outlet Health", "rating", [])],
    "project": [("Product", "multipicklist", ["Product A", "Product B"]), ("Week No", "number", [])],
    "task": [("HScore", "number", []), ("Priority", "list", ["Low", "Medium", "High"])],
    "issue": [("Severity", "list", ["minor", "major", "critical"])],
    "opportunity": [("Competitor", "text", []), ("Close Confidence", "rating", [])],
    "conversation": [("Sentiment", "list", ["positive", "neutral", "negative"])],
    "nps": [("Follow-up Owner", "team member", [])],
    "sale": [("Deal Type", "list", ["New", "Upsell", "Cross-sell"])],
    "churn": [("Win-back Possible", "checkbox", [])],
    "objective": [("Target Day", "day", [])],
    "campaign": [("Budget", "number", [])],
    "user": [("Office", "text", [])],
    "workspace": [("Cost Center", "text", [])],
    "product": [("Product Line", "list", ["Platform", "Add-on", "Service"])],
}
