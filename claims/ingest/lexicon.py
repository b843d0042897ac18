"""Word lists of the claim spotter's newer rules (claimants, check-worthiness): data only, the
rules that read them are in claimants.py and worthiness.py."""

# Words that are never a claimant on their own ("if" in "…, if confirmed, would …").
FUNCTION_WORDS = frozenset(
    "if when whether while as and but or so because although though unless until once since "
    "after before then than that which who whom whose what where why how also only even still "
    "yet however meanwhile later earlier there here external it's".split()
)

# Link labels that broadcasters' pages leave in copied text ("said on X, external, that").
LINK_LABELS = ("external", r"opens\s+in\s+new\s+(?:tab|window)", r"external\s+link")

# What may open a sentence before its claimant, set off by a comma: a time, a place, a turn.
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|march|april|may|june|july|aug(?:ust|\.)?|"
    r"sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)
SCENE_OPENERS = (
    rf"(?:(?:late|early)\s+)?(?:on|by|until|since|from)\s+(?:{_DAYS}|(?:{_MONTHS})\s+\d{{1,2}}|"
    rf"\d{{1,2}}\s+(?:{_MONTHS}))(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|(?:{_DAYS})(?:\s+(?:morning|afternoon|evening|night))?"
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
