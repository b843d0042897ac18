"""The claim spotter's word lists, verb tables and phrase patterns: data only.

The rules that read them are elsewhere: attribution.py (who is said to say something, within a
sentence), spotting.py (across sentences: pronouns, notes that a claim is unverified),
matching.py (claimants to Sources), claimants.py (what a claimant phrase names) and
worthiness.py (how check-worthy a candidate is). Patterns are regular-expression source
strings; each is compiled where it is read, with the flags noted beside it.
"""

# Words that are never a claimant on their own ("if" in "…, if confirmed, would …").
FUNCTION_WORDS = frozenset(
    "if when whether while as and but or so because although though unless until once since "
    "after before then than that which who whom whose what where why how also only even still "
    "yet however meanwhile later earlier there here external it's".split()
)

# Link labels that broadcasters' pages leave in copied text ("said on X, external, that").
LINK_LABELS = ("external", r"opens\s+in\s+new\s+(?:tab|window)", r"external\s+link")

# What may open a sentence before its claimant, set off by a comma: a time, a place, a turn.
DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|march|april|may|june|july|aug(?:ust|\.)?|"
    r"sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)
SCENE_OPENERS = (
    rf"(?:(?:late|early)\s+)?(?:on|by|until|since|from)\s+(?:{DAYS}|(?:{_MONTHS})\s+\d{{1,2}}|"
    rf"\d{{1,2}}\s+(?:{_MONTHS}))(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?:{DAYS})(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:the\s+same|that|the\s+next|the\s+previous|the\s+following)\s+(?:day|morning|evening|"
    r"night|week)"
    r"|(?:a|one|two|three|a\s+few)\s+(?:days?|weeks?|hours?)\s+(?:earlier|later|before|after)"
    r"|(?:later|earlier|meanwhile|separately|elsewhere|overnight|since\s+then|in\s+turn|"
    r"however|also|then|now|for\s+(?:its|his|her|their)\s+part|last\s+(?:week|month|night)|"
    r"this\s+(?:week|month)|yesterday|today)"
    r"|(?:in|at|from|near)\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
    r"|in\s+(?:a|an|its|his|her|their)\s+(?:\w+\s+){0,2}?(?:statement|post|video|address|"
    r"interview|briefing|update|report|message)(?:\s+(?:on|to)\s+[A-Z]?\w+)?"
)

# Words that make a claimant phrase a person, or an organisation.
PERSON_NOUNS = (
    r"spokes(?:man|woman|person)|officer|commander(?:-in-chief)?|governor|minister|president|"
    r"official|analyst|soldier|resident|head|adviser|advisor|chief|leader|mayor|blogger|"
    r"correspondent|envoy|ambassador|colonel|lieutenant|secretary|director|expert|witness|"
    r"survivor|medic|volunteer|pilot|prosecutor|ombudsman|commissioner|boss|fellow|"
    r"journalist|reporter|deputy"
)
ORGANISATION_NOUNS = (
    r"ministry|staff|agency|administration|office|service|forces|force|brigade|group|army|"
    r"kremlin|committee|council|project|institute|company|mission|command|headquarters|"
    r"government|military|navy|battalion|regiment|corps|directorate|intelligence|"
    r"department|parliament|court|commission|organisation|organization|bureau|centre|"
    r"center|channel|network|newspaper|map|monitor|operator|management|unit"
)
# Claimant heads that are many people ("officials", "bloggers", "Russian forces").
PLURAL_HEADS = r"s|people|media|police|personnel"
# The words between a role and the organisation it is held in: "head of the IAEA", "a
# spokesman for the air force", "a fellow at the institute", "an analyst with the group".
ROLE_LINKS = r"of|for|at|with"

# Check-worthiness (worthiness.py): what makes a claim worth checking, and what makes it a
# statement of intent or opinion rather than of fact. ClaimBuster's idea; our own rules.
ACTIONS = (
    r"captur\w*|seiz\w*|took|taken|liberat\w*|destroy\w*|kill\w*|wound\w*|injur\w*|assault\w*|"
    r"advanc\w*|retreat\w*|withdr[ae]w\w*|pulled\s+(?:out|back)|repel\w*|repuls\w*|"
    r"shot\s+down|downed|intercept\w*|struck|strike|hit|attack\w*|shell\w*|encircl\w*|"
    r"surround\w*|cut\s+off|lost|losses|damag\w*|fell|fallen|control|entered|crossed|"
    r"evacuat\w*|stag\w*|fabricat\w*|executed|tortur\w*|deploy\w*|mobilis\w*|mobiliz\w*"
)
NUMBER_WORDS = (
    r"\d[\d,.]*|dozens|hundreds|thousands|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"half|all|every"
)
INTENT_OR_OPINION = (
    r"aims?\s+to|(?:its|their|the)\s+(?:aim|goal|objective)s?|want(?:s|ed)?\s+to|plans?\s+to|intends?\s+to|hopes?\s+to|seeks?\s+to|"
    r"will\s+(?:not\s+)?(?:continue|never|keep|fight|defend|respond|hand|pull)|should|must|"
    r"(?:is|are|was)\s+(?:unacceptable|outrageous|shameful|cynical)|believes?|thinks?|"
    r"fantas\w*|propaganda|playing\s+with\s+fire|welcomed?|condemn\w*|congratulat\w*"
)

# --- attribution (attribution.py) ------------------------------------------------------------

# Verb forms that attribute a statement, by lemma. Forms that are as often nouns ("claims",
# "reports") count only when no determiner or possessive comes right before them.
ATTRIBUTION_VERBS = {
    "say": "say says said saying",
    "claim": "claim claims claimed claiming",
    "tell": "tell tells told telling",
    "report": "report reports reported reporting",
    "announce": "announce announces announced announcing",
    "deny": "deny denies denied denying",
    "insist": "insist insists insisted insisting",
    "accuse": "accuse accuses accused accusing",
    "predict": "predict predicts predicted predicting",
    "concede": "concede concedes conceded conceding",
    "state": "stated",
    "add": "added adds",
    "warn": "warn warns warned warning",
    "confirm": "confirm confirms confirmed confirming",
    "allege": "allege alleges alleged alleging",
    "assert": "assert asserts asserted asserting",
    "argue": "argue argues argued arguing",
    "acknowledge": "acknowledge acknowledges acknowledged acknowledging",
    "admit": "admit admits admitted admitting",
    "declare": "declare declares declared declaring",
    "maintain": "maintains maintained",
    "estimate": "estimated estimates",
    "write": "write writes wrote writing",
    "post": "posted",
    "tweet": "tweeted",
    "explain": "explained explains",
    "stress": "stressed stresses",
    "suggest": "suggested suggests",
    "reiterate": "reiterated reiterates",
    "dispute": "disputed disputes",
    "reject": "rejected rejects",
    "dismiss": "dismissed dismisses",
    "counter": "countered",
    "blame": "blamed blames",
    "boast": "boasted boasts",
    "contend": "contended contends",
    "assess": "assessed assesses",
    "believe": "believe believes believed",
    "cite": "citing cited",
    "quote": "quoting",
    "brief": "briefed",
    "publish": "published",
    "describe": "described describes",
    "call": "calls called calling",
    "show": "show shows showed showing",
}
# Each form of those verbs → its lemma ("claimed" → "claim").
VERB_FORMS = {form: lemma for lemma, forms in ATTRIBUTION_VERBS.items() for form in forms.split()}

_CALLS = (
    r"^\s*(?:the|it|this|that|these|those|them|him|her|such|Ukraine|Russia|Kyiv|Moscow)\b"
    r"(?!\s+(?:on|for|off|up)\b)"
)
# Forms that attribute only in company, and what must follow them: "added that", "posted on
# Telegram", "published a video" (matched case-sensitively, at the words after the verb).
VERBS_NEEDING_COMPANY = {
    "added": r"^\s*(?:that\b|,|\.|$|on\b|in\b)",
    "adds": r"^\s*(?:that\b|,|\.|$)",
    "posted": r"^\s*(?:on|to|a|an|the|in)\b",
    "published": r"^\s*(?:a|an|its|their|the|on|in)\s+(?:\w+\s+)?(?:video|statement|report|"
    r"update|message|post|footage|map|assessment|figures?|data)\b",
    "maintains": r"^\s*(?:that\b|it\b|its\b|they\b|the\b)",
    "maintained": r"^\s*(?:that\b|it\b|its\b|they\b|the\b)",
    "believe": r"^\s*(?:that\b|the\b|it\b|russia|ukraine|moscow|kyiv)",
    "believes": r"^\s*(?:that\b|the\b|it\b|russia|ukraine|moscow|kyiv)",
    "believed": r"^\s*(?:that\b|the\b|it\b|russia|ukraine|moscow|kyiv)",
    "described": r"^\s*(?:the|it|this|that|a|an|russia|ukraine|moscow|kyiv)\b.*\bas\b",
    "describes": r"^\s*(?:the|it|this|that|a|an|russia|ukraine|moscow|kyiv)\b.*\bas\b",
    "estimates": r"^\s*(?:that\b|the\b|russia|ukraine)",
    "briefed": r"^\s*(?:reporters|journalists|the\s+media|lawmakers)\b",
    "dismissed": r"^\s*(?:the|a|an|it|this|that|those|these|such|kyiv|moscow|russia|ukraine)\b",
    "rejected": r"^\s*(?:the|a|an|it|this|that|those|these|such|kyiv|moscow|russia|ukraine)\b",
    "confirm": r"^\s*(?:that\b|the\b|it\b)",
    "telling": r"^\s*(?:reporters|journalists|the|a|an|local|state|[A-Z])",
    "tell": r"^\s*(?:reporters|journalists|the\s+\w+\s+(?:agency|service|channel|newspaper)|[A-Z])",
    "reporting": r"^\s*(?:that\b|on\b)",
    "citing": r"^\s*(?:the|a|an|its|unnamed|local|military|officials|sources|[A-Z])",
    "cited": r"^\s*(?:the|a|an|its|unnamed|local|military|officials|sources|[A-Z])",
    "warning": r"^\s*that\b",
    "saying": r"^\s*(?:that\b|it\b|its\b|the\b|they\b|he\b|she\b|russia|ukraine|[A-Z\"“])",
    "claiming": r"^\s*(?:that\b|it\b|its\b|to\b|the\b|[A-Z])",
    "denying": r"^\s*(?:that\b|it\b|the\b|any\b|reports?\b)",
    "accusing": r"^\s*(?:the|it|russia|ukraine|moscow|kyiv|[A-Z])",
    "predicting": r"^\s*(?:that\b|the\b|a\b|an\b)",
    "writing": r"^\s*(?:on|in)\b",
    "calls": _CALLS,
    "called": _CALLS,
    "calling": _CALLS,
    "write": r"^\s*(?:on|in)\b",
}

# Phrases that attribute without a verb of their own, and the claimant's side of them (all
# read without regard to case).
ACCORDING_TO = r"\b(?:according\s+to|as\s+(?:reported|claimed|stated)\s+by|per)\s+"
QUOTED_AS_SAYING = r"\b(?:was|were|is|are)\s+quoted\s+(?:by\s+[^,]+?\s+)?as\s+saying\b"
STATEMENT_READ = (
    r"\b(?:(?:a|the|its|their|his|her)\s+)?(?:statement|communiqu[eé]|post|message|report|"
    r"update|notice|briefing|bulletin|summary)\s+(?:from\s+[^,.]+?\s+|by\s+[^,.]+?\s+)?"
    r"(?:read|reads|said|says|stated|claimed|added)\b"
)
# Where a statement was made, and the verbs that name it: "wrote on Telegram", "said in a
# statement" (case-sensitive: "X" is the network).
STATEMENT_CHANNELS = (
    r"Telegram|X|Twitter|Facebook|Instagram|VKontakte|YouTube|social\s+media|a\s+statement|"
    r"a\s+video"
)
VERBS_NAMING_A_CHANNEL = ("wrote", "said", "posted", "claimed", "says", "announced")

# Before a verb: a statement not made ("did not say", "declined to comment"), case ignored.
NEGATED = (
    r"(?:\b(?:not|never|n't|no\s+one|nobody|neither|nor)\s+(?:\w+\s+){0,2}|\b(?:declined|refused|"
    r"unwilling|unable|failed|reluctant)\s+to\s+(?:\w+\s+)?)$"
)
# Idioms with an attribution word that attribute nothing ("so-called", "according to plan"),
# case ignored.
IDIOMS = (
    r"\b(?:so[- ]called|needless\s+to\s+say|that\s+is\s+to\s+say|suffice\s+(?:it\s+)?to\s+say"
    r"|(?:was|were)\s+told\s+to|is\s+said\s+to|are\s+said\s+to|it\s+is\s+said"
    r"|according\s+to\s+(?:the\s+)?(?:plan|schedule|tradition|custom|legend|protocol)"
    r"|(?:if|unless|until|once|when)\s+(?:\w+ly\s+)?(?:confirmed|verified|true))\b"
)
# Words before a verb form that make it a noun ("the claims", "Kremlin's reports").
DETERMINERS = frozenset(
    "the a an this that these those its their his her our your my such any some no every "
    "each another other latest new earlier previous similar initial first official unverified "
    "unconfirmed false these russian ukrainian western kremlin's media press news".split()
)
# "show" attributes only when a map, images or data do the showing (case ignored).
EVIDENCE_SUBJECTS = (
    r"\b(?:maps?|mapping|data|footage|videos?|images?|imagery|photos?|photographs?|figures|"
    r"satellite|analysis|records?|documents?|tracking|project|survey|poll|statistics|tally|"
    r"DeepState|geolocated)\b"
)
# Words that make a phrase a clause rather than a claimant (case ignored).
FINITE_WORDS = (
    r"\b(?:is|are|was|were|has|have|had|will|would|could|should|can|cannot|may|might|must|"
    r"did|does|do|been|not|verify|confirm)\b"
)
# Words that may stand between a subject and its verb ("Moscow has also said").
AUXILIARIES = frozenset(
    "has have had is are was were also later then earlier previously already again would will "
    "could may might did does do once repeatedly publicly".split()
)
# Past forms without "-ed": a sentence's subject ends before them ("The air force shot down").
IRREGULAR_PAST = frozenset(
    "shot hit struck took fired lost held won saw made began came went fell left kept put "
    "sent set spent stood brought bought built caught drove fought found gave got grew heard "
    "knew led met ran rose sank sought shut took threw told wrote flew overran retook".split()
)
# What sets a comma-separated part of a sentence apart as a scene, not its subject ("In
# Zaporizhzhia, the regional governor, Ivan Fedorov, said"), case ignored.
SCENE_SETTERS = (
    r"^(?:(?:and|but)\s+)?(?:(?:in|on|at|after|before|during|from|since|near|across|over|under|"
    r"for|within|amid|despite)\s|(?:earlier|later|meanwhile|separately|elsewhere|overnight|also|"
    r"however|yesterday|today|now|then|still|instead|again|in\s+turn|as\s+a\s+result)$|\w+ly$)"
)
# What opens an aside between a subject and its verb ("X, which publishes daily figures, said",
# "X, a spokesman for Y, said"), matched case-sensitively after its comma.
ASIDE_OPENERS = (
    r"which|who|whose|a|an|the|one|its|his|her|speaking|citing|quoted|in|on|at|according"
)
# Words that start a new clause inside a stretch of text ("... and Ukraine said").
CLAUSE_CONJUNCTIONS = (
    r"and|but|while|whereas|although|though|because|after|before|when|as|since|if|so|which|"
    r"that|where|even\s+as|even\s+though"
)
# Where a noun phrase after "according to" or "by" ends (besides punctuation), case ignored.
NOUN_PHRASE_ENDS = (
    rf"that|who|which|where|when|as|on\s+(?:{DAYS})|said|says|told|claimed|reported|added|"
    r"wrote|had|has|have|was|were|is|are|would|will"
)
# What goes before the claimant after "according to": "a statement from", "data from".
A_REPORT_FROM = (
    r"(?:a|an)\s+(?:statement|report|post|update|message|video|briefing|assessment|summary|"
    r"tally|count|estimate|figures?)\s+(?:from|by|of)\s+"
)
REPORTS_FROM = r"(?:data|figures|estimates|reports?|statements?|a\s+tally)\s+(?:from|by|of)\s+"
# "Only 46 Russian attacks were reported on Thursday": figures reported without an agent,
# said by whoever the article last quoted (case ignored).
REPORTED_THINGS = (
    r"\b(?:\d[\d,]*|dozens|hundreds|several|no|only\s+\d[\d,]*)\s+(?:\w+\s+){0,2}?(?:attacks?|"
    r"assaults?|strikes?|drones?|missiles?|clashes|casualties|deaths|explosions|"
    r"shelling|battles|engagements)\b"
)

# The words around a claimant that are not it: how a clause opens ("And", "Meanwhile", "In a
# statement, …") and what may follow the name ("has also", "on Monday", "in a video"), case
# ignored.
LEADING_NOISE = (
    r"^(?:(?:and|but|while|as|so|because|although|though|when|after|before|if|which|yet|"
    r"however|meanwhile|also|separately|instead|later|earlier|then|now|still|that|where|"
    r"since|whereas|even|previously|in\s+turn|for\s+(?:its|his|her|their)\s+part|in\s+a\s+"
    r"(?:\w+\s+){0,2}?(?:statement|post|video|address|interview|briefing|update|report|"
    r"message)(?:\s+(?:on|to|late|early)\s+\w+(?:\s+\w+)?)?)[\s,]+)+"
)
TRAILING_NOISE = (
    r"(?:[\s,]+(?:has|have|had|is|are|was|were|also|later|then|previously|repeatedly|again|"
    r"earlier|already|publicly|officially|separately|recently|first|now|once|itself|"
    r"themselves|himself|herself|would|will|could|may|might|can|did|does|do|not|never|"
    r"had\s+earlier|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:late|early)\s+on\s+\w+|on\s+(?:telegram|x|twitter|facebook|tv|television)|"
    r"last\s+(?:week|month|year|night)|this\s+(?:week|month|year)|yesterday|today|"
    r"overnight|in\s+(?:a|an|its|his|her|their)\s+(?:\w+\s+)?(?:statement|post|video|"
    r"address|interview|briefing|update|report|message)|in\s+\w+|at\s+(?:a|the)\s+\w+(?:\s+\w+)?)"
    r")+$"
)
# Words that open a phrase that is no claimant ("There", "What").
NOT_CLAIMANT_OPENERS = ("there", "here", "what", "how", "why", "whether", "who")
# Words that are no claimant on their own (but "many", "some", "several", "both", "one" are).
NOT_NOUNS = frozenset(
    "also only even just still then now again first later soon often never always both all "
    "some many most few several each either neither one".split()
) - {"many", "some", "several", "both", "one"}

# --- across sentences (spotting.py) ----------------------------------------------------------

# Claimants that point back to someone named before.
PRONOUNS = frozenset("he she they it we i you this that who".split())
# "Many said …", "Some said …": the people named before, as "they" would be.
QUANTIFIERS = dict.fromkeys(("many", "some", "most", "others", "several", "both"), "they")
# The two sides, and their attacks: "Only 46 Russian attacks were reported" is Ukraine's count.
SIDES = {
    "russia": r"\b(?:Russian?|Russia's|Moscow|Kremlin)\b",
    "ukraine": r"\b(?:Ukrainian|Ukraine's|Ukraine|Kyiv)\b",
}
ATTACKS = r"\s+(?:\w+\s+)?(?:attacks?|assaults?|strikes?|drones?|missiles?|shelling)\b"

# The text says it could not confirm what was claimed (read verbosely, case ignored).
UNVERIFIED_NOTE = (
    r"\b(?:could|can|was|were|is|are|has|have)\s*(?:not|n't)\s+(?:\w+\s+){0,3}?"
    r"""(?:verif|confirm
    |corroborat)
    |cannot\s+(?:\w+\s+){0,2}?(?:verif|confirm)
    |unable\s+to\s+(?:independently\s+)?(?:verify|confirm|corroborate)
    |(?:not|never)\s+(?:been\s+|yet\s+been\s+)?able\s+to\s+(?:independently\s+)?(?:verify|confirm)
    |not\s+(?:been\s+)?(?:independently\s+)?(?:verified|confirmed|corroborated)
    |(?:were|was)\s+not\s+(?:immediately\s+)?(?:verifiable|possible\s+to\s+verify)
    |(?:not\s+|im)possible\s+to\s+(?:independently\s+)?(?:verify|confirm)
    |\b(?:neither|none|no\s+one)\b[^.]{0,80}?\bcould\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)
    |\bunverified\b|\bunconfirmed\b|remains?\s+unconfirmed|remained\s+unconfirmed
    |no\s+independent\s+(?:confirmation|verification)
    |without\s+(?:providing|offering|giving)\s+(?:any\s+)?evidence
    |(?:provided|offered|gave|presented)\s+no\s+evidence
    |did\s+not\s+(?:provide|offer|give|present)\s+(?:any\s+)?evidence
    |no\s+(?:immediate\s+)?(?:independent\s+)?(?:way\s+to\s+(?:verify|confirm))"""
)
# A note that speaks of both sides ("Neither account could be verified"), case ignored.
BOTH_SIDES = r"\b(?:neither|either\s+side|both\s+sides|either\s+account)\b"
# A note that speaks of several claims ("The figures could not be verified"), case ignored.
SEVERAL_CLAIMS = (
    r"\b(?:neither|either\s+side|both\s+sides|claims|reports|accounts|figures|statements)\b"
)
# How a note that is itself a candidate opens when it also speaks of the claims before it.
NOTE_ON_SEVERAL = r"neither|none|both|the\s+claims"

# --- matching Sources (matching.py) ----------------------------------------------------------

# Spellings matched as one word ("Russian" = "Russia", "defense" = "defence").
SAME_WORD = {
    "russian": "russia",
    "russia's": "russia",
    "ukrainian": "ukraine",
    "ukraine's": "ukraine",
    "defense": "defence",
    "defence's": "defence",
    "armed": "armed",
    "ministry's": "ministry",
    "u.s.": "us",
    "american": "us",
    "united": "united",
    "kremlin's": "kremlin",
}
# Words a name is matched without.
MATCH_STOP_WORDS = frozenset("the of for a an and in on at by to 's its".split())
