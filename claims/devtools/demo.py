"""The demo desk's content, as plain data; `manage.py load_demo` turns it into rows.

Everything here is written in the desk's own words. Facts, names, places, dates and figures
come from public reporting; the only verbatim text is each claim's short attributed quote, as
reported. Article and evidence links point at made-up `.example` domains: they are
illustrations, never real article addresses.

Objects refer to each other by natural key: users by username, sources and places by slug,
articles by URL, claims and explainers by slug, evidence by a key local to its claim. All
times are aware datetimes in UTC (the newsroom's zone, Europe/Kyiv, is two hours ahead in
winter and three in summer).
"""

import os
from datetime import UTC, date, datetime

from claims.roles import EDITOR, FACT_CHECKER, REPORTER


def utc(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# Where `make demo` serves the desk (it sets DEMO_ADDRESS from its HOST and PORT).
ADMIN_URL = os.environ.get("DEMO_ADDRESS", "http://127.0.0.1:8000").rstrip("/") + "/admin/"

# One user per role, plus a second editor: the editor who publishes a verification must not
# be its author, so the demo needs two. The passwords are reset on every load, so the table
# the command prints is always true. They are for the demo database only.
USERS = (
    {
        "username": "reporter",
        "password": "reporter-demo-2025",  # nosec B105 # a demo login, printed by load_demo
        "role": REPORTER,
        "first_name": "Daria",
        "last_name": "Koval",
    },
    {
        "username": "factchecker",
        "password": "factcheck-demo-2025",  # nosec B105 # a demo login, printed by load_demo
        "role": FACT_CHECKER,
        "first_name": "Tom",
        "last_name": "Ashworth",
    },
    {
        "username": "editor",
        "password": "editor-demo-2025",  # nosec B105 # a demo login, printed by load_demo
        "role": EDITOR,
        "first_name": "Ines",
        "last_name": "Moreau",
    },
    {
        "username": "editor2",
        "password": "second-editor-demo-2025",  # nosec B105 # a demo login, printed by load_demo
        "role": EDITOR,
        "first_name": "Mykola",
        "last_name": "Hrytsenko",
    },
)
EMAIL_DOMAIN = "desk.example"

# --- sources -----------------------------------------------------------------------------

SOURCES = (
    {
        "slug": "russian-defence-ministry",
        "name": "Russian Defence Ministry",
        "kind": "ministry",
        "affiliation": "russian_state",
        "description": "The Ministry of Defence of the Russian Federation. Announces captures "
        "in its daily briefings, usually using Russian or Soviet-era place names.",
        "home_url": "https://mil.ru/",
        "aliases": (
            "Russian Ministry of Defence",
            "Ministry of Defence of the Russian Federation",
            "MoD",
            "Russian MoD",
        ),
    },
    {
        "slug": "28th-separate-mechanised-brigade",
        "name": "28th Separate Mechanised Brigade",
        "kind": "military_unit",
        "affiliation": "ukrainian_state",
        "description": "A brigade of Ukraine's Ground Forces that has fought in and around "
        "Toretsk.",
        "aliases": ("28th Brigade", "28th Mechanised Brigade", "28th Mechanized Brigade"),
    },
    {
        "slug": "yevhen-alkhimov",
        "name": "Yevhen Alkhimov",
        "kind": "official",
        "affiliation": "ukrainian_state",
        "description": "Press officer of Ukraine's 28th Separate Mechanised Brigade.",
    },
    {
        "slug": "khortytsia-group",
        "name": "Khortytsia Operational-Strategic Group of Forces",
        "kind": "military_unit",
        "affiliation": "ukrainian_state",
        "description": "The command of Ukraine's forces on much of the eastern front; its "
        "spokespeople report on the fighting in the Donetsk region.",
        "aliases": ("Khortytsia group", "Khortytsia OSGF"),
    },
    {
        "slug": "deepstate",
        "name": "DeepState",
        "kind": "osint_project",
        "affiliation": "independent",
        "description": "A Ukrainian open-source project that publishes a daily map of the "
        "front line, drawn from geolocated footage and sources it does not always name.",
        "home_url": "https://deepstatemap.live/",
        "aliases": ("DeepStateMap", "DeepState UA"),
    },
    {
        "slug": "associated-press",
        "name": "The Associated Press",
        "kind": "news_outlet",
        "affiliation": "independent",
        "description": "International news agency.",
        "home_url": "https://apnews.com/",
        "aliases": ("AP", "Associated Press"),
    },
    {
        "slug": "confidential-soldier-toretsk",
        "name": "Confidential source T-1",
        "kind": "individual",
        "affiliation": "ukrainian_state",
        "description": "Serving soldier, reached by the desk's reporter. Identity on file "
        "with the editor; never to be named.",
        "is_confidential": True,
        "redacted_description": "a Ukrainian soldier serving near Toretsk",
    },
)

# --- places ------------------------------------------------------------------------------
# Coordinates are approximate town centres. Alternative names: (name, language, note).

DONETSK_REGION = "Donetsk region"

PLACES = (
    {
        "slug": "donetsk-region",
        "name": "Donetsk region",
        "kind": "region",
        "region": "",
        "latitude": "48.000000",
        "longitude": "37.800000",
        "description": "A region of eastern Ukraine, much of it fought over since 2014.",
        "alternative_names": (
            ("Donetsk oblast", "en", ""),
            ("Донецька область", "uk", ""),
            ("Донецкая область", "ru", ""),
        ),
    },
    {
        "slug": "toretsk",
        "name": "Toretsk",
        "kind": "town",
        "latitude": "48.398000",
        "longitude": "37.848000",
        "population_prewar": 30000,
        "description": "Coal-mining town on high ground; about 30,000 residents before the "
        "full-scale invasion, much of it now in ruins.",
        "alternative_names": (
            ("Dzerzhynsk", "uk", "Soviet-era name, until 2016"),
            ("Dzerzhinsk", "ru", "Russian usage"),
            ("Торецьк", "uk", ""),
            ("Дзержинск", "ru", "Russian usage"),
        ),
    },
    {
        "slug": "chasiv-yar",
        "name": "Chasiv Yar",
        "kind": "town",
        "latitude": "48.586000",
        "longitude": "37.835000",
        "population_prewar": 12000,
        "description": "Hilltop town west of Bakhmut and north of Toretsk, split by a canal.",
        "alternative_names": (
            ("Chasov Yar", "ru", "Russian usage"),
            ("Часів Яр", "uk", ""),
            ("Часов Яр", "ru", "Russian usage"),
        ),
    },
    {
        "slug": "pokrovsk",
        "name": "Pokrovsk",
        "kind": "town",
        "latitude": "48.282000",
        "longitude": "37.176000",
        "population_prewar": 60000,
        "description": "Road and rail hub that supplies Ukrainian forces across the region.",
        "alternative_names": (
            ("Krasnoarmiisk", "uk", "Soviet-era name, until 2016"),
            ("Krasnoarmeysk", "ru", "Russian usage"),
            ("Покровськ", "uk", ""),
        ),
    },
    {
        "slug": "kurakhove",
        "name": "Kurakhove",
        "kind": "town",
        "latitude": "47.985000",
        "longitude": "37.280000",
        "population_prewar": 18000,
        "description": "Town beside a reservoir and power station, south of Pokrovsk.",
        "alternative_names": (("Kurakhovo", "ru", "Russian usage"), ("Курахове", "uk", "")),
    },
    {
        "slug": "avdiivka",
        "name": "Avdiivka",
        "kind": "town",
        "latitude": "48.139000",
        "longitude": "37.743000",
        "population_prewar": 31000,
        "description": "Industrial town north of Donetsk city, home to a large coke plant.",
        "alternative_names": (("Avdeyevka", "ru", "Russian usage"), ("Авдіївка", "uk", "")),
    },
    {
        "slug": "vuhledar",
        "name": "Vuhledar",
        "kind": "town",
        "latitude": "47.780000",
        "longitude": "37.248000",
        "population_prewar": 14000,
        "description": "Mining town on a hill south-west of Donetsk city.",
        "alternative_names": (("Ugledar", "ru", "Russian usage"), ("Вугледар", "uk", "")),
    },
    {
        "slug": "velyka-novosilka",
        "name": "Velyka Novosilka",
        "kind": "town",
        "latitude": "47.843000",
        "longitude": "36.833000",
        "population_prewar": 5000,
        "description": "Settlement near where the Donetsk, Zaporizhzhia and Dnipropetrovsk "
        "regions meet.",
        "alternative_names": (
            ("Velikaya Novoselka", "ru", "Russian usage"),
            ("Велика Новосілка", "uk", ""),
        ),
    },
    {
        "slug": "bakhmut",
        "name": "Bakhmut",
        "kind": "town",
        "latitude": "48.595000",
        "longitude": "38.000000",
        "population_prewar": 71000,
        "description": "Town Russia took in May 2023 after one of the war's longest battles.",
        "alternative_names": (
            ("Artemivsk", "uk", "Soviet-era name, until 2016"),
            ("Artyomovsk", "ru", "Russian usage"),
            ("Бахмут", "uk", ""),
        ),
    },
    {
        "slug": "kostiantynivka",
        "name": "Kostiantynivka",
        "kind": "city",
        "latitude": "48.533000",
        "longitude": "37.707000",
        "population_prewar": 67000,
        "description": "Industrial city and rail junction west of Chasiv Yar.",
        "alternative_names": (
            ("Konstantinovka", "ru", "Russian usage"),
            ("Костянтинівка", "uk", ""),
        ),
    },
)

# --- articles ----------------------------------------------------------------------------
# Short summaries in the desk's own words of where the claims appeared, not the originals.

# Addresses that an article, the claims' appearances in it and their evidence all give.
MOD_BRIEFING_URL = "https://statements.example/mod/2025-02-07/daily-briefing"
WIRE_REPORT_URL = "https://wire.example/2025/02/07/russia-claims-toretsk-brigade-says-fight-goes-on"
KHORTYTSIA_NOVOSILKA_URL = "https://statements.example/khortytsia/2025-01-26/velyka-novosilka"

ARTICLES = (
    {
        "url": MOD_BRIEFING_URL,
        "headline": "Russian Defence Ministry briefing, 7 February 2025 (desk summary)",
        "outlet": "russian-defence-ministry",
        "published_at": utc(2025, 2, 7, 8, 30),
        "language": "en",
        "body": "Desk summary of the ministry's daily briefing. The ministry announced that "
        "its troops had taken the town it calls Dzerzhinsk, Ukraine's Toretsk. It said "
        "Ukraine had made the town a heavily fortified position, using underground "
        "communications and the town's coal mines and waste heaps as defences. No footage or "
        "imagery of the town came with the announcement.",
    },
    {
        "url": WIRE_REPORT_URL,
        "headline": "Russia claims Toretsk; Ukrainian brigade says its unit is still there "
        "(desk summary of wire copy)",
        "outlet": "associated-press",
        "published_at": utc(2025, 2, 7, 15, 0),
        "language": "en",
        "body": "Desk summary of the agency's report. Russia's Defence Ministry said its forces "
        "had captured Toretsk. The press officer of Ukraine's 28th Separate Mechanised "
        "Brigade, Yevhen Alkhimov, told the agency that his unit had not been moved from its "
        "position, as would probably have happened had the town fallen, and that heavy "
        "Russian assaults were continuing. The report noted that the DeepState map showed "
        "Ukrainian troops on the town's north-western edge late on 6 February. It described "
        "Toretsk as a mining town on high ground with Chasiv Yar to its north, and listed "
        "the towns Russia has taken in the region since 2024.",
    },
    {
        "url": "https://statements.example/mod/2025-01-06/kurakhovo",
        "headline": "Russian Defence Ministry claims Kurakhove (desk summary)",
        "outlet": "russian-defence-ministry",
        "published_at": utc(2025, 1, 6, 9, 0),
        "language": "en",
        "body": "Desk summary. The ministry said its forces had taken Kurakhove, which it "
        "calls Kurakhovo, south of Pokrovsk.",
    },
    {
        "url": KHORTYTSIA_NOVOSILKA_URL,
        "headline": "Ukrainian command says troops left Velyka Novosilka (desk summary)",
        "outlet": "khortytsia-group",
        "published_at": utc(2025, 1, 26, 12, 0),
        "language": "en",
        "body": "Desk summary. The Khortytsia group of Ukraine's forces said its units had "
        "withdrawn from Velyka Novosilka so as not to be surrounded. Russia's Defence "
        "Ministry had claimed the settlement earlier the same day.",
    },
    {
        "url": "https://statements.example/khortytsia/2024-07-04/chasiv-yar-kanal",
        "headline": "Ukrainian command on the Kanal district of Chasiv Yar (desk summary)",
        "outlet": "khortytsia-group",
        "published_at": utc(2024, 7, 4, 10, 0),
        "language": "en",
        "body": "Desk summary. A spokesman for the Khortytsia group said Ukrainian units had "
        "pulled out of the Kanal neighbourhood, the part of Chasiv Yar east of the canal.",
    },
)

# --- claims ------------------------------------------------------------------------------
# Each claim carries its evidence (keys are local to the claim) and the verifications the
# desk wrote about it, in the order they were written. A verification is "published",
# "submitted" (awaiting an editor) or "returned" (with the reviewer's note). Published ones
# carry the dates they were submitted and published in the story.

# Where evidence that more than one claim cites was found, and who published it.
MOD_BRIEFING = {
    "url": MOD_BRIEFING_URL,
    "archived_url": "https://archive.example/2025.02.07/mod-daily-briefing",
    "source": "russian-defence-ministry",
}
WIRE_REPORT = {
    "url": WIRE_REPORT_URL,
    "archived_url": "https://archive.example/2025.02.07/wire-toretsk-brigade",
}
DEEPSTATE_TORETSK_MAP = {
    "url": "https://map.example/deepstate/2025-02-06#13/48.4100/37.8250",
    "archived_url": "https://archive.example/2025.02.06-2300/deepstate-toretsk",
    "source": "deepstate",
    "latitude": "48.410000",
    "longitude": "37.825000",
    "captured_at": utc(2025, 2, 6, 21, 0),
}
KHORTYTSIA_NOVOSILKA = {
    "url": KHORTYTSIA_NOVOSILKA_URL,
    "archived_url": "https://archive.example/2025.01.26/khortytsia-novosilka",
    "source": "khortytsia-group",
}

CAPTURE_CLAIM = "russia-says-it-captured-toretsk"
BRIGADE_CLAIM = "ukrainian-brigade-says-unit-still-in-toretsk"
DEEPSTATE_CLAIM = "deepstate-map-shows-ukrainian-troops-in-north-west-toretsk"
FORTIFICATION_CLAIM = "russia-says-toretsk-was-fortified-with-mines-and-waste-heaps"
SOLDIER_CLAIM = "soldier-says-fighting-continues-in-north-toretsk"

DZERZHINSK_NOTE = (
    "Dzerzhinsk, the name the ministry used, is the Soviet-era name of Toretsk; there is no "
    "doubt which town is meant."
)


def published(*, submitted_at, published_at, author="factchecker", reviewer="editor", **fields):
    """A verification the loader takes through review to publication, on the dates given."""
    return {
        "state": "published",
        "author": author,
        "reviewer": reviewer,
        "submitted_at": submitted_at,
        "published_at": published_at,
        **fields,
    }


CLAIMS = (
    {
        "slug": CAPTURE_CLAIM,
        "statement": "Russia's Defence Ministry says its forces have captured Toretsk",
        "quote": "Our troops have completed the liberation of the town of Dzerzhinsk.",
        "claimant": "russian-defence-ministry",
        "claimed_on": date(2025, 2, 7),
        "places": ("toretsk", "donetsk-region"),
        "appearances": (
            (
                MOD_BRIEFING_URL,
                "The ministry announced that its troops had taken the town it calls "
                "Dzerzhinsk, Ukraine's Toretsk.",
            ),
            (
                WIRE_REPORT_URL,
                "Russia's Defence Ministry said its forces had captured Toretsk.",
            ),
        ),
        "evidence": (
            {
                "key": "statement",
                "kind": "document",
                "description": "The ministry's briefing of 7 February 2025 announcing the "
                "capture. It gives no footage, imagery or time of capture.",
                **MOD_BRIEFING,
            },
            {
                "key": "brigade",
                "kind": "on_the_record",
                "description": "Yevhen Alkhimov, press officer of the 28th Separate "
                "Mechanised Brigade, speaking to The Associated Press on 7 February 2025: "
                "his unit has not been moved from its position and Russian assaults go on.",
                **WIRE_REPORT,
                "source": "yevhen-alkhimov",
            },
            {
                "key": "map",
                "kind": "open_source_map",
                "description": "DeepState front-line map as it stood late on 6 February 2025: "
                "Ukrainian-held ground on the north-western edge of Toretsk and positions "
                "inside the town.",
                **DEEPSTATE_TORETSK_MAP,
            },
            {
                "key": "soldier",
                "kind": "other",
                "description": "Account given to our reporter on 8 February 2025 by a "
                "soldier serving near Toretsk, on condition of anonymity: his unit was still "
                "fighting in the north of the town.",
                "source": "confidential-soldier-toretsk",
                "latitude": "48.405000",
                "longitude": "37.840000",
            },
        ),
        "verifications": (
            published(
                submitted_at=utc(2025, 2, 7, 12, 30),
                published_at=utc(2025, 2, 7, 14, 0),
                verdict="unconfirmed",
                evidence=("statement",),
                location_verdict="confirmed",
                location_note=DZERZHINSK_NOTE,
                time_verdict="unconfirmed",
                time_note="The ministry did not say when the capture was completed.",
                rationale=(
                    "Russia's Defence Ministry announced the capture of Toretsk, which it "
                    "calls by its Soviet-era name, Dzerzhinsk, on the morning of 7 February. "
                    "The announcement came with no footage or imagery that we could check, "
                    "and we have found none since. When we wrote this we had no response from "
                    "the Ukrainian side.\n\n"
                    "Until there is independent evidence one way or the other, the claim is "
                    "**Unconfirmed**."
                ),
            ),
            published(
                reviewer="editor2",
                submitted_at=utc(2025, 2, 8, 8, 0),
                published_at=utc(2025, 2, 8, 9, 0),
                verdict="disputed",
                evidence=("statement", "brigade", "map", "soldier"),
                location_verdict="confirmed",
                location_note=DZERZHINSK_NOTE,
                time_verdict="disputed",
                time_note="Ukrainian positions were still shown inside the town late on "
                "6 February, hours before the announcement.",
                rationale=(
                    "Since our first assessment, two pieces of evidence have come in that "
                    "contradict the ministry:\n\n"
                    "- Yevhen Alkhimov, press officer of Ukraine's 28th Separate Mechanised "
                    "Brigade, told The Associated Press on 7 February that his unit had not "
                    "been moved from its position, which he said would most likely have "
                    "happened had the town fallen, and that intense Russian assaults were "
                    "continuing.\n"
                    "- The DeepState open-source map, as it stood late on 6 February, showed "
                    "Ukrainian troops on the town's north-western edge and some still "
                    "inside it.\n\n"
                    "A Ukrainian soldier serving near Toretsk, who spoke to us on condition "
                    "of anonymity, gave an account that fits both.\n\n"
                    "None of this is independent confirmation: the brigade and the ministry "
                    "are both parties to the fighting, and DeepState does not name all of its "
                    "sources. But these are credible sources that contradict the claim, and "
                    "nothing we have seen settles the question. We now rate the claim "
                    "**Disputed**."
                ),
            ),
        ),
    },
    {
        "slug": BRIGADE_CLAIM,
        "statement": "Ukraine's 28th Brigade says its unit has not been pulled out of Toretsk "
        "and Russian assaults go on",
        "quote": "Our unit has not been moved from its position.",
        "claimant": "yevhen-alkhimov",
        "claimed_on": date(2025, 2, 7),
        "places": ("toretsk",),
        "appearances": (
            (
                WIRE_REPORT_URL,
                "Yevhen Alkhimov told the agency that his unit had not been moved from its "
                "position, as would probably have happened had the town fallen.",
            ),
        ),
        "evidence": (
            {
                "key": "interview",
                "kind": "on_the_record",
                "description": "The press officer's statement to The Associated Press, "
                "7 February 2025.",
                **WIRE_REPORT,
                "source": "associated-press",
            },
            {
                "key": "map",
                "kind": "open_source_map",
                "description": "DeepState map, late on 6 February 2025, showing Ukrainian "
                "troops on the north-western edge of the town.",
                **DEEPSTATE_TORETSK_MAP,
            },
        ),
        "verifications": (
            published(
                submitted_at=utc(2025, 2, 8, 8, 15),
                published_at=utc(2025, 2, 8, 9, 20),
                verdict="unconfirmed",
                evidence=("interview", "map"),
                rationale=(
                    "Units do not publish their positions, and we have no geolocated footage "
                    "from inside Toretsk since the ministry's announcement, so the press "
                    "officer's account cannot be checked independently. It fits the "
                    "DeepState map of 6 February, which supports it without confirming it.\n\n"
                    "We rate the claim **Unconfirmed**."
                ),
            ),
        ),
    },
    {
        "slug": DEEPSTATE_CLAIM,
        "statement": "DeepState map shows Ukrainian troops still on Toretsk's north-western edge",
        "quote": "[Map update, late on 6 February 2025] Ukrainian-held ground shown on the "
        "north-western edge of Toretsk.",
        "claimant": "deepstate",
        "claimed_on": date(2025, 2, 6),
        "places": ("toretsk",),
        "appearances": (
            (
                WIRE_REPORT_URL,
                "The report noted that the DeepState map showed Ukrainian troops on the "
                "town's north-western edge late on 6 February.",
            ),
        ),
        "evidence": (
            {
                "key": "map",
                "kind": "open_source_map",
                "description": "Archived copy of the DeepState map as it stood late on "
                "6 February 2025, centred on Toretsk.",
                **DEEPSTATE_TORETSK_MAP,
            },
            {
                "key": "soldier",
                "kind": "other",
                "description": "A soldier serving near Toretsk told our reporter on "
                "8 February 2025, on condition of anonymity, that his unit was fighting in "
                "the north of the town.",
                "source": "confidential-soldier-toretsk",
            },
        ),
        "verifications": (
            published(
                submitted_at=utc(2025, 2, 8, 8, 30),
                published_at=utc(2025, 2, 8, 9, 40),
                verdict="likely_true",
                evidence=("map", "soldier"),
                location_verdict="likely",
                location_note="The area marked matches the town's north-western "
                "districts; we could not check the exact line.",
                time_verdict="confirmed",
                time_note="The archived copy shows the map as it stood late on 6 February.",
                rationale=(
                    "We set the map beside the brigade's statement and the account of a "
                    "soldier serving near Toretsk, who spoke to us on condition of "
                    "anonymity. All three place Ukrainian troops at the edge of the town, or "
                    "in it, late on 6 and on 7 February.\n\n"
                    "We have no geolocated footage to fix the line, so we rate the claim "
                    "**Likely true** rather than Confirmed."
                ),
            ),
        ),
    },
    {
        "slug": FORTIFICATION_CLAIM,
        "statement": "Russia says Ukraine had fortified Toretsk with underground "
        "communications, coal mines and waste heaps",
        "quote": "The enemy had turned the town into a fortified area, using underground "
        "communications, mines and waste heaps.",
        "claimant": "russian-defence-ministry",
        "claimed_on": date(2025, 2, 7),
        "places": ("toretsk",),
        "appearances": (
            (
                MOD_BRIEFING_URL,
                "It said Ukraine had made the town a heavily fortified position, using "
                "underground communications and the town's coal mines and waste heaps as "
                "defences.",
            ),
        ),
        "evidence": (
            {
                "key": "statement",
                "kind": "document",
                "description": "The ministry's briefing of 7 February 2025, which describes "
                "the defences but shows none of them.",
                **MOD_BRIEFING,
            },
            {
                "key": "imagery",
                "kind": "satellite_imagery",
                "description": "Satellite image of a mine and its waste heap on the eastern "
                "side of Toretsk, 30 January 2025. It shows the terrain, not any defences.",
                "url": "https://imagery.example/scenes/2025-01-30/toretsk-east",
                "archived_url": "https://archive.example/2025.01.30/imagery-toretsk-east",
                "latitude": "48.392000",
                "longitude": "37.868000",
                "captured_at": utc(2025, 1, 30, 8, 40),
            },
        ),
        "verifications": (
            published(
                submitted_at=utc(2025, 2, 7, 13, 30),
                published_at=utc(2025, 2, 7, 15, 0),
                verdict="unconfirmed",
                evidence=("statement",),
                location_verdict="confirmed",
                location_note="Toretsk's mines and waste heaps are real and well known.",
                actor_verdict="unconfirmed",
                actor_note="Nothing we have shows who built or used the defences the "
                "ministry describes.",
                rationale=(
                    "Toretsk is an old coal-mining town: its mines and the waste heaps around "
                    "them are real, and such ground gives cover to whoever holds it. Whether "
                    "Ukraine fortified them as the ministry describes, we could not check. "
                    "The ministry showed no footage or imagery of the defences and we have "
                    "found none.\n\n"
                    "We rate the claim **Unconfirmed**."
                ),
            ),
            {
                "state": "returned",
                "author": "factchecker",
                "reviewer": "editor2",
                "verdict": "likely_true",
                "evidence": ("statement", "imagery"),
                "review_note": "Likely true needs more than the terrain. The image shows the "
                "waste heap is there, not that anyone dug in on it. Keep it Unconfirmed "
                "unless we find footage or imagery of the defences themselves.",
                "rationale": (
                    "A satellite image of 30 January 2025 shows a mine and a large waste heap "
                    "on the eastern side of the town, the kind of ground the ministry "
                    "describes. Given the terrain, its description is likely true."
                ),
            },
        ),
    },
    {
        "slug": SOLDIER_CLAIM,
        "statement": "A Ukrainian soldier near Toretsk says fighting goes on in the north of "
        "the town",
        "quote": "We are still fighting in the north of the town.",
        "claimant": "confidential-soldier-toretsk",
        "claimed_on": date(2025, 2, 8),
        "places": ("toretsk",),
        "evidence": (),
        "verifications": (),
    },
    {
        "slug": "russia-says-it-captured-kurakhove",
        "statement": "Russia's Defence Ministry says its forces have captured Kurakhove",
        "quote": "Our troops have completed the liberation of Kurakhovo.",
        "claimant": "russian-defence-ministry",
        "claimed_on": date(2025, 1, 6),
        "places": ("kurakhove", "donetsk-region"),
        "appearances": (
            (
                "https://statements.example/mod/2025-01-06/kurakhovo",
                "The ministry said its forces had taken Kurakhove.",
            ),
        ),
        "evidence": (
            {
                "key": "map",
                "kind": "open_source_map",
                "description": "DeepState map of 6 January 2025 around Kurakhove.",
                "url": "https://map.example/deepstate/2025-01-06#13/47.9850/37.2800",
                "archived_url": "https://archive.example/2025.01.06/deepstate-kurakhove",
                "source": "deepstate",
                "latitude": "47.985000",
                "longitude": "37.280000",
                "captured_at": utc(2025, 1, 6, 20, 0),
            },
        ),
        "verifications": (
            published(
                submitted_at=utc(2025, 1, 9, 9, 0),
                published_at=utc(2025, 1, 9, 11, 0),
                verdict="likely_true",
                evidence=("map",),
                location_verdict="confirmed",
                location_note="Kurakhovo is the Russian name of Kurakhove.",
                rationale=(
                    "The open-source maps we follow showed almost all of the town under "
                    "Russian control by the time of the announcement. We could not confirm "
                    "its western edge with footage, so we rate the claim **Likely true**."
                ),
            ),
        ),
    },
    {
        "slug": "ukraine-says-it-withdrew-from-velyka-novosilka",
        "statement": "Ukraine's military says it has pulled its troops out of Velyka "
        "Novosilka to avoid encirclement",
        "quote": "Our units have withdrawn to avoid encirclement.",
        "claimant": "khortytsia-group",
        "claimed_on": date(2025, 1, 26),
        "places": ("velyka-novosilka",),
        "appearances": (
            (
                KHORTYTSIA_NOVOSILKA_URL,
                "Its units had withdrawn from Velyka Novosilka so as not to be surrounded.",
            ),
        ),
        "evidence": (
            {
                "key": "statement",
                "kind": "on_the_record",
                "description": "The Khortytsia group's statement of 26 January 2025.",
                **KHORTYTSIA_NOVOSILKA,
            },
        ),
        "verifications": (
            published(
                author="editor",
                reviewer="editor2",
                submitted_at=utc(2025, 1, 27, 8, 0),
                published_at=utc(2025, 1, 27, 10, 0),
                verdict="confirmed",
                evidence=("statement",),
                rationale=(
                    "Ukraine's own military announced the withdrawal, and Russia's Defence "
                    "Ministry claimed the settlement the same day. When both sides agree "
                    "that a place has changed hands we rate the claim **Confirmed**."
                ),
            ),
        ),
    },
    {
        "slug": "russia-says-it-captured-velyka-novosilka",
        "statement": "Russia's Defence Ministry says its forces have captured Velyka Novosilka",
        "quote": "The settlement of Velikaya Novoselka has been liberated.",
        "claimant": "russian-defence-ministry",
        "claimed_on": date(2025, 1, 26),
        "places": ("velyka-novosilka",),
        "appearances": (
            (
                KHORTYTSIA_NOVOSILKA_URL,
                "Russia's Defence Ministry had claimed the settlement earlier the same day.",
            ),
        ),
        "evidence": (
            {
                "key": "withdrawal",
                "kind": "on_the_record",
                "description": "Ukraine's Khortytsia group confirmed the same day that its "
                "units had left the settlement.",
                **KHORTYTSIA_NOVOSILKA,
            },
        ),
        "verifications": (
            published(
                submitted_at=utc(2025, 1, 27, 8, 30),
                published_at=utc(2025, 1, 27, 10, 30),
                verdict="confirmed",
                evidence=("withdrawal",),
                location_verdict="confirmed",
                location_note="Velikaya Novoselka is the Russian name of Velyka Novosilka.",
                rationale=(
                    "The Ukrainian command said on the same day that its units had left the "
                    "settlement. With both sides in agreement, the claim is **Confirmed**."
                ),
            ),
        ),
    },
    {
        "slug": "ukraine-says-troops-left-chasiv-yar-kanal-district",
        "statement": "Ukraine's military says its troops have pulled out of Chasiv Yar's "
        "Kanal district",
        "quote": "Our units have left the Kanal neighbourhood.",
        "claimant": "khortytsia-group",
        "claimed_on": date(2024, 7, 4),
        "places": ("chasiv-yar",),
        "appearances": (
            (
                "https://statements.example/khortytsia/2024-07-04/chasiv-yar-kanal",
                "A spokesman said Ukrainian units had pulled out of the Kanal neighbourhood.",
            ),
        ),
        "evidence": (
            {
                "key": "statement",
                "kind": "on_the_record",
                "description": "The Khortytsia group spokesman's statement of 4 July 2024.",
                "url": "https://statements.example/khortytsia/2024-07-04/chasiv-yar-kanal",
                "archived_url": "https://archive.example/2024.07.04/khortytsia-kanal",
                "source": "khortytsia-group",
            },
            {
                "key": "map",
                "kind": "open_source_map",
                "description": "DeepState map of 5 July 2024 around the canal in Chasiv Yar.",
                "url": "https://map.example/deepstate/2024-07-05#14/48.5900/37.8600",
                "archived_url": "https://archive.example/2024.07.05/deepstate-chasiv-yar",
                "source": "deepstate",
                "latitude": "48.590000",
                "longitude": "37.860000",
                "captured_at": utc(2024, 7, 5, 19, 0),
            },
        ),
        "verifications": (
            published(
                submitted_at=utc(2024, 7, 5, 8, 0),
                published_at=utc(2024, 7, 5, 10, 0),
                verdict="confirmed",
                evidence=("statement", "map"),
                rationale=(
                    "A military rarely announces that it has given up ground it still holds. "
                    "The withdrawal was announced by Ukraine's own command, and the "
                    "open-source maps we follow show the district east of the canal under "
                    "Russian control. We rate the claim **Confirmed**."
                ),
            ),
        ),
    },
    {
        "slug": "russia-says-it-captured-chasiv-yar",
        "statement": "Russia's Defence Ministry says its forces have captured Chasiv Yar",
        "quote": "The town of Chasov Yar has been liberated.",
        "claimant": "russian-defence-ministry",
        "claimed_on": date(2025, 7, 31),
        "places": ("chasiv-yar", "donetsk-region"),
        "evidence": (),
        "verifications": (
            {
                "state": "submitted",
                "author": "factchecker",
                "verdict": "disputed",
                "evidence": (),
                "location_verdict": "confirmed",
                "location_note": "Chasov Yar is the Russian name of Chasiv Yar.",
                "rationale": (
                    "The ministry gave no evidence we could check, and Ukraine's military "
                    "rejected the claim, saying fighting in the town went on. Until footage "
                    "or imagery settles it, we rate the claim **Disputed**."
                ),
            },
        ),
    },
)

# (from claim, relation, to claim, note)
CLAIM_LINKS = (
    (
        BRIGADE_CLAIM,
        "disputes",
        CAPTURE_CLAIM,
        "The brigade says its unit would have been moved had the town fallen.",
    ),
    (
        DEEPSTATE_CLAIM,
        "supports",
        BRIGADE_CLAIM,
        "The map shows Ukrainian troops still in and at the edge of the town.",
    ),
    (
        "ukraine-says-it-withdrew-from-velyka-novosilka",
        "supports",
        "russia-says-it-captured-velyka-novosilka",
        "Both sides agree the settlement changed hands.",
    ),
)

# --- explainers --------------------------------------------------------------------------
# "state" is where the loader leaves each explainer: "published" (with the dates of its first
# publication and of each later correction or update, in order), "scheduled" (for a few days
# after the load) or "draft". Claims are listed in the editor's order with context notes.

TORETSK_BODY = """\
## A mining town on high ground

Toretsk is a coal-mining town in Ukraine's Donetsk region. About 30,000 people lived there \
before Russia's full-scale invasion. In Soviet times it was called Dzerzhynsk, and Russian \
officials still use that name. Months of shelling and street fighting have left much of it \
in ruins.

What makes it worth fighting for is the ground it stands on. Toretsk sits higher than the \
country around it, so whoever holds it can watch the approaches and aim artillery well \
beyond its edges. Chasiv Yar, another town Russia has been trying to take, lies to the \
north. To the west the land is more open, with fewer natural lines to defend, which is why \
the town is seen as a stepping stone for a push deeper into the part of the Donetsk region \
that Ukraine still holds.

## What Russia says

On 7 February 2025 Russia's Defence Ministry announced that its forces had captured the \
town. In the same briefing it said Ukraine had turned Toretsk into a heavily fortified \
position, with underground communications, and with the town's coal mines and waste heaps \
used as defences.

## What Ukraine says

The claim was contested the same day. Yevhen Alkhimov, press officer of Ukraine's 28th \
Separate Mechanised Brigade, told The Associated Press that his unit had not been moved \
from its position. Had the town fallen, he said, that would most likely have happened. He \
described the Russian assaults as intense and continuing.

DeepState, an open-source project that maps the front line, had shown late on 6 February \
that Ukrainian troops held the town's north-western edge and that some remained inside it.

## What we could confirm

Very little, so far. Neither account has been confirmed by footage we could geolocate or by \
satellite imagery, and the ministry, the brigade and the mapping project each have reasons \
of their own to present the fighting as they do. We first rated the ministry's claim \
**Unconfirmed**. Once the brigade's statement and the DeepState map were in, we changed \
that to **Disputed**: credible sources contradict each other and the evidence does not \
settle it. Each claim below shows its verdict and how it changed.

## The wider picture

Toretsk is one of a string of towns in the Donetsk region that Russia has fought for at \
great cost. Avdiivka and Vuhledar fell in 2024, Kurakhove early in 2025 and Velyka \
Novosilka in January 2025. Besides Toretsk, Russia's main objectives in the region are \
Pokrovsk, a hub for the roads and railway that supply Ukraine's forces, and Chasiv Yar.
"""

POKROVSK_BODY = """\
## A crossroads for the front

Pokrovsk was called Krasnoarmiisk until 2016, and Russian officials still call it \
Krasnoarmeysk. About 60,000 people lived there before the full-scale invasion. The roads \
and the railway that run through it carry supplies to Ukrainian units across much of the \
Donetsk region, which makes it one of the most valuable places on this part of the front.

## The towns to the south

Since it took Avdiivka in 2024, Russia has pressed towards Pokrovsk and the towns south of \
it. Vuhledar fell in 2024. In January 2025 Russia's Defence Ministry said its forces had \
taken Kurakhove, and later that month Ukraine's command said it had pulled its units out \
of Velyka Novosilka so as not to be surrounded.

## What is at stake

Losing Pokrovsk, or the roads into it, would make it harder for Ukraine to supply the \
towns it still holds in the region, Kostiantynivka among them. The claims below are the \
ones we have checked about the fighting on the way there.
"""

CHASIV_YAR_BODY = """\
## The town on the ridge

Chasiv Yar stands on high ground a few kilometres west of Bakhmut, which Russia took in \
May 2023 after one of the longest battles of the war. About 12,000 people lived there \
before the full-scale invasion; few remain.

A canal that carries water to the cities of the Donetsk region runs through the town. The \
Kanal neighbourhood lies on its eastern side, facing Bakhmut, and Ukraine's command said \
in July 2024 that its troops had left it.

## Why it matters

Height, again. Beyond Chasiv Yar lie Kostiantynivka and, further north-west, Kramatorsk \
and Sloviansk, the largest cities Ukraine still holds in the region. Toretsk lies to the \
south. Whoever holds the ridge can watch the roads between them.
"""

TORETSK_STREETS_BODY = """\
Draft, not for publication until every account below has been checked against a second \
source.

So far we have one account, from a soldier serving near the town, who says his unit is \
still fighting in the north of Toretsk.
"""

EXPLAINERS = (
    {
        "slug": "why-toretsk-matters",
        "title": "Why Toretsk matters",
        "standfirst": "Russia says it has taken the ruined mining town; the Ukrainian brigade "
        "defending it says the fight goes on. What each side claims, what we could check, "
        "and why the town counts for more than its size.",
        "body": TORETSK_BODY,
        "places": (
            "toretsk",
            "chasiv-yar",
            "pokrovsk",
            "kurakhove",
            "avdiivka",
            "vuhledar",
            "velyka-novosilka",
            "donetsk-region",
        ),
        "authors": ("reporter", "factchecker"),
        "claims": (
            (
                CAPTURE_CLAIM,
                "The claim that started the story. Our verdict changed as the Ukrainian "
                "side's account and the open-source map came in; the history shows both.",
            ),
            (
                BRIGADE_CLAIM,
                "The brigade defending the town has reason to say it is still there, but its "
                "account matches the open-source map.",
            ),
            (
                DEEPSTATE_CLAIM,
                "A map, not footage: DeepState draws its lines from sources it does not "
                "always name, so we treat it as one piece of the picture.",
            ),
            (
                FORTIFICATION_CLAIM,
                "The ministry's explanation of why the town took so long to take. The mines "
                "and waste heaps are real; whether they were fortified as it says, we could "
                "not check.",
            ),
        ),
        "state": "published",
        "submitted_by": "factchecker",
        "published_by": "editor",
        "published_at": utc(2025, 2, 8, 11, 0),
        "log": (
            {
                "kind": "correction",
                "by": "editor",
                "at": utc(2025, 2, 8, 16, 0),
                "text": "An earlier version of this explainer called the brigade defending "
                "Toretsk the 28th Mechanised Brigade. Its full name is the 28th Separate "
                "Mechanised Brigade.",
            },
            {
                "kind": "update",
                "by": "editor2",
                # The update is a revision: the explainer first went out without this section,
                # which one of its authors then added.
                "adds_section": "## The wider picture",
                "at": utc(2025, 2, 9, 10, 0),
                "text": "Added a section on the wider picture: the other towns Russia has "
                "taken in the Donetsk region since 2024, and its next objectives.",
            },
        ),
    },
    {
        "slug": "what-the-fight-for-pokrovsk-is-about",
        "title": "What the fight for Pokrovsk is about",
        "standfirst": "The town is a junction for the roads and railway that keep Ukraine's "
        "forces in the Donetsk region supplied. Russia has spent a year taking the towns "
        "around it.",
        "body": POKROVSK_BODY,
        "places": (
            "pokrovsk",
            "kurakhove",
            "velyka-novosilka",
            "vuhledar",
            "avdiivka",
            "kostiantynivka",
            "donetsk-region",
        ),
        "authors": ("editor", "factchecker"),
        "claims": (
            (
                "russia-says-it-captured-kurakhove",
                "One of the towns guarding the southern approaches to Pokrovsk.",
            ),
            (
                "russia-says-it-captured-velyka-novosilka",
                "Both sides agree on this one, which is rare.",
            ),
            (
                "ukraine-says-it-withdrew-from-velyka-novosilka",
                "Ukraine's own account of the same withdrawal.",
            ),
        ),
        "state": "published",
        "submitted_by": "factchecker",
        "published_by": "editor2",
        "published_at": utc(2025, 1, 28, 10, 0),
        "log": (),
    },
    {
        "slug": "why-chasiv-yar-matters",
        "title": "Why Chasiv Yar matters",
        "standfirst": "A hilltop town west of Bakhmut stands between Russia's forces and the "
        "largest cities Ukraine still holds in the Donetsk region.",
        "body": CHASIV_YAR_BODY,
        "places": ("chasiv-yar", "bakhmut", "kostiantynivka", "toretsk", "donetsk-region"),
        "authors": ("reporter",),
        "claims": (
            (
                "ukraine-says-troops-left-chasiv-yar-kanal-district",
                "The first part of the town Ukraine gave up.",
            ),
            (
                "russia-says-it-captured-chasiv-yar",
                "Our verdict on this claim is with the editors.",
            ),
        ),
        "state": "scheduled",
        "submitted_by": "factchecker",
        "published_by": "editor",
        "schedule_in_days": 3,
        "log": (),
    },
    {
        "slug": "toretsk-street-by-street",
        "title": "Toretsk, street by street",
        "standfirst": "What the soldiers fighting in the town describe.",
        "body": TORETSK_STREETS_BODY,
        "places": ("toretsk",),
        "authors": ("reporter",),
        "claims": ((SOLDIER_CLAIM, "Needs a second account before it can run."),),
        "state": "draft",
        "log": (),
    },
)

# Readers' claim submissions waiting in the desk's queue (never shown to readers).
# Work handed out on the desk: (claim, assigned by, to, due in days from the load, note), and
# the internal notes on claims: (claim, author, text). Never shown to readers.
ASSIGNMENTS = (
    (
        SOLDIER_CLAIM,
        "editor",
        "factchecker",
        2,
        "One soldier's word is not enough: find a second account or footage.",
    ),
    (
        FORTIFICATION_CLAIM,
        "editor",
        "editor",
        1,
        "Still unconfirmed after weeks: decide whether the map project's new imagery settles it.",
    ),
)
NOTES = (
    (
        SOLDIER_CLAIM,
        "reporter",
        "The soldier agreed to talk again on Friday. @factchecker, do you want to join the call?",
    ),
    (
        SOLDIER_CLAIM,
        "factchecker",
        "Yes. I will also ask the brigade's press officer whether the unit is still in the "
        "north of the town.",
    ),
)

# A claim recorded twice, as reporters do: the editor merged the copy into the claim kept
# (claims.services.merge), and the copy's address leads there.
DUPLICATE_CLAIM = {
    "slug": "soldier-says-the-fighting-in-north-toretsk-is-not-over",
    "statement": "Soldier says the fighting in north Toretsk is not over",
    "quote": "We are still fighting in the north of the town.",
    "claimant": "confidential-soldier-toretsk",
    "claimed_on": date(2025, 2, 8),
    "places": ("toretsk",),
    "into": SOLDIER_CLAIM,
    "reason": "The same soldier's account, recorded twice.",
}

SUBMISSIONS = (
    {
        "text": "A channel I follow says Russian troops have reached the centre of Kostiantynivka. "
        "Is that true?",
        "link": "https://social.example/posts/kostiantynivka-centre",
        "contact": "",
    },
    {
        "text": "I read that the mines under Toretsk were flooded on purpose to stop the assault. "
        "Can you check?",
        "link": "",
        "contact": "reader@mail.example",
    },
)

# The standing pages that only the newsroom can write; the migration seeds the methodology and
# corrections policy. This is the demo newsroom's own (fictional) text.
STANDING_PAGES = (
    {
        "kind": "ownership-and-funding",
        "title": "Ownership and funding",
        "summary": "Who owns the claims desk and who pays for it.",
        "body": (
            "The Claims Desk is a demonstration newsroom. In a real deployment this page names "
            "the company or foundation that owns the desk, its main funders with the share of "
            "the budget each provides, and any funding from governments or parties to the "
            "conflict, which a fact-checker must disclose.\n\n"
            "No funder sees an assessment before it is published or has any say in what we "
            "check."
        ),
    },
    {
        "kind": "contact",
        "title": "Contact",
        "summary": "How to reach the desk, ask for a correction or send us a claim.",
        "body": (
            "To ask for a correction, write to corrections@desk.example and name the page and "
            "the sentence you think is wrong. We answer every request.\n\n"
            "To suggest a claim for us to check, use the [submission form](/submit/).\n\n"
            "Press and partnership enquiries: desk@desk.example."
        ),
    },
)
