"""The claim spotter on sample sentences: every attribution shape, and what is not a claim."""

import pytest

from claims.ingest.attribution import find_attribution
from claims.ingest.sentences import split_sentences
from claims.ingest.spotting import Spotter


@pytest.mark.parametrize(
    ("sentence", "claimant", "verb"),
    [
        (
            "Russia's Defence Ministry said its forces had captured Toretsk.",
            "Russia's Defence Ministry",
            "said",
        ),
        ("Moscow says the capture opens the road to Kostiantynivka.", "Moscow", "says"),
        (
            "Kremlin-appointed officials said civilians had been evacuated.",
            "Kremlin-appointed officials",
            "said",
        ),
        (
            "The ministry claimed that 47 drones were shot down overnight.",
            "The ministry",
            "claimed",
        ),
        ("A brigade officer told Reuters the road was still open.", "A brigade officer", "told"),
        ("The officer told Reuters that Russia was preparing to attack.", "The officer", "told"),
        (
            "The governor warned that Russia was massing troops to attack Sumy.",
            "The governor",
            "warned",
        ),
        (
            "Ukraine's General Staff reported 51 attacks near Pokrovsk.",
            "Ukraine's General Staff",
            "reported",
        ),
        ("The Kremlin announced that the town had been liberated.", "The Kremlin", "announced"),
        ("Kyiv denied that its troops had withdrawn.", "Kyiv", "denied"),
        ("The governor insisted the city was not encircled.", "The governor", "insisted"),
        (
            "Energoatom accused Russia of staging provocations at the plant.",
            "Energoatom",
            "accused",
        ),
        (
            "Denis Pushilin predicted that Russian troops would reach the border by summer.",
            "Denis Pushilin",
            "predicted",
        ),
        (
            "The Khortytsia group conceded that its units had pulled back.",
            "The Khortytsia group",
            "conceded",
        ),
        (
            "According to Ukraine's General Staff, Russia launched 42 attacks near Pokrovsk.",
            "Ukraine's General Staff",
            "according to",
        ),
        (
            "Three people were killed, according to local authorities.",
            "local authorities",
            "according to",
        ),
        (
            "Vadym Filashkin wrote on Telegram that about 100 civilians remained.",
            "Vadym Filashkin",
            "wrote on Telegram",
        ),
        (
            "A statement from the Ukrainian air force read that 30 drones were downed.",
            "the Ukrainian air force",
            "a statement read",
        ),
        (
            "Vladimir Putin was quoted as saying the offensive was going to plan.",
            "Vladimir Putin",
            "was quoted as saying",
        ),
        (
            '"Fighting continues in the centre," said Nazar Voloshyn, a spokesman for the group.',
            "Nazar Voloshyn",
            "said",
        ),
        ("The road is under fire but not cut, the spokesperson said.", "the spokesperson", "said"),
        (
            "The region's governor, Alexander Bogomaz, said debris had started a fire.",
            "The region's governor, Alexander Bogomaz",
            "said",
        ),
        (
            "Ukraine's military, for its part, said the village remained contested.",
            "Ukraine's military",
            "said",
        ),
        ("The strikes were reported by local officials.", "local officials", "were reported by"),
        (
            "An open-source map published by DeepState shows Ukrainian troops on the town's edge.",
            "An open-source map published by DeepState",
            "shows",
        ),
        (
            "Kyiv has stepped up its drone strikes, arguing that oil revenues fund the war.",
            "Kyiv",
            "arguing",
        ),
        ("Moscow calls the strikes terrorism.", "Moscow", "calls"),
        (
            "Russia has repeatedly claimed to have destroyed Western-supplied tanks.",
            "Russia",
            "claimed",
        ),
        (
            "Ukraine's Defence Intelligence (HUR) said a depot was hit.",
            "Ukraine's Defence Intelligence",
            "said",
        ),
        (
            "Russia's Defence Ministry — which rarely acknowledges losses — said it repelled it.",
            "Russia's Defence Ministry",
            "said",
        ),
    ],
)
def test_attribution_shapes_are_found_with_their_claimant_and_verb(sentence, claimant, verb):
    assert find_attribution(sentence) == (claimant, verb)


@pytest.mark.parametrize(
    "sentence",
    [
        "Kremlin spokesman Dmitry Peskov declined to say whether Putin had been briefed.",
        "He did not say how many Ukrainian troops were defending the city.",
        "Residents were told to leave the city in August.",
        "Reuters could not independently verify the battlefield reports.",
        "Russia's claims could not be verified.",
        "The ministry did not respond to a request for comment.",
        "Everything went according to plan.",
        "The so-called referendum was held in September 2022.",
        "The video appeared to show soldiers raising a flag over the town hall.",
        "Toretsk had about 30,000 residents before the full-scale invasion.",
        "No damage was reported in the capital.",
        "Officials told residents to leave their homes before nightfall.",
        "The governor warned people to stay in shelters.",
        '"We will hold the line. There is no other way."',
    ],
)
def test_sentences_that_attribute_nothing_are_not_candidates(sentence):
    assert find_attribution(sentence) is None


@pytest.fixture
def spotter():
    return Spotter(
        sources=[
            (1, "Russian Defence Ministry", "ministry", ["Russian Ministry of Defence", "MoD"]),
            (2, "Viktor Trehubov", "official", []),
            (3, "Kremlin", "official", ["Moscow"]),
            (4, "Ukrainian Defence Ministry", "ministry", []),
        ],
        places=[(10, "Toretsk", ["Dzerzhynsk", "Dzerzhinsk"]), (11, "Pokrovsk", ["Krasnoarmeysk"])],
    )


def test_a_claim_over_two_sentences_is_one_candidate_with_its_offsets(spotter):
    body = (
        "Fighting went on all day.\n\n"
        '"The information about the capture of Toretsk is not true. Our units still hold the '
        'north-west," Viktor Trehubov said. "We have not been pushed out."'
    )
    candidates = spotter.spot(body)

    first, second = candidates
    assert first.sentence.startswith('"The information') and first.sentence.endswith("said.")
    assert body[first.start : first.end] == first.sentence
    assert (first.claimant, first.source_id, first.places) == ("Viktor Trehubov", 2, ["Toretsk"])
    assert second.sentence == '"We have not been pushed out."'
    assert second.claimant == "Viktor Trehubov"


def test_a_pronoun_claimant_is_the_person_named_before(spotter):
    body = (
        "Viktor Trehubov, a spokesman for the group, said the town was contested. "
        '"Every car that tries to leave is hunted by drones," he said.'
    )
    second = spotter.spot(body)[1]
    assert (second.claimant, second.source_id) == ("Viktor Trehubov", 2)


@pytest.mark.parametrize(
    ("claimant", "source_id"),
    [
        ("Russia's Defence Ministry", 1),  # spelt differently from the Source's name
        ("the Russian Ministry of Defence", 1),  # an alias
        ("Moscow", 3),  # an alias as an indirect attribution
        ("Trehubov", 2),  # a person by surname
        ("spokesman Viktor Trehubov", 2),  # title before the name
        ("the Defence Ministry", None),  # two ministries fit equally: the editor chooses
        ("Kremlin-appointed officials", None),  # offered as a new Source
    ],
)
def test_the_best_matching_source(spotter, claimant, source_id):
    assert spotter.sources.best(claimant)[0] == source_id


def test_places_are_matched_by_any_of_their_names(spotter):
    body = "Russia's Defence Ministry said its forces took Dzerzhynsk and were near Krasnoarmeysk."
    (candidate,) = spotter.spot(body)
    assert candidate.places == ["Toretsk", "Pokrovsk"]
    assert candidate.place_ids == [10, 11]


@pytest.mark.parametrize(
    "body",
    [
        "Russia said it had taken Toretsk, a claim that could not be independently verified.",
        "Russia said it had taken Toretsk. The claim could not be independently verified.",
        "Russia said it had taken Toretsk.\n\nThe AP was unable to verify the claim.",
        "Russia said it had taken Toretsk. Its claims remain unconfirmed.",
        "Russia said it took Toretsk.\n\nKyiv denied it.\n\nNeither account could be verified.",
    ],
)
def test_claims_the_text_says_could_not_be_verified_are_flagged(spotter, body):
    assert spotter.spot(body)[0].unverified


def test_a_verification_note_about_something_else_flags_nothing(spotter):
    body = (
        "Russia said it had taken Toretsk.\n\n"
        "Residents posted videos of a large fire. The videos could not be verified."
    )
    assert not spotter.spot(body)[0].unverified


def test_sentences_keep_their_offsets_in_the_body():
    body = 'First para, Lt. Gen. Ivanov said. Second one.\n\nThird: "A. B," he said.'
    for sentence in split_sentences(body):
        assert body[sentence.start : sentence.end] == sentence.text


def test_it_said_at_the_end_means_the_sentence_s_own_subject(spotter):
    body = "Ukraine's air force shot down 50 of 70 drones launched overnight, it said."
    assert spotter.spot(body)[0].claimant == "Ukraine's air force"


@pytest.mark.parametrize(
    "note",
    [
        "It was not possible to independently verify the reports.",
        "Reuters could not immediately verify the report.",
        "The claim has not been independently confirmed.",
    ],
)
def test_more_ways_of_saying_it_could_not_be_verified(spotter, note):
    assert spotter.spot(f"Russia said it had taken Toretsk. {note}")[0].unverified


def test_the_ministry_is_matched_to_the_ministry_named_before(spotter):
    body = (
        "Russia's Defence Ministry said its forces had taken Toretsk.\n\n"
        "The ministry said in its daily briefing that the fighting was over."
    )
    second = spotter.spot(body)[1]
    assert (second.claimant, second.source_id) == ("The ministry", 1)


# --- the right claimant on wire copy ----------------------------------------------------------


def _spot(body, sources=()):
    return [(c.sentence, c.claimant) for c in Spotter(sources).spot(body)]


@pytest.mark.parametrize(
    ("sentence", "claimant", "role"),
    [
        (
            "On Wednesday, Rafael Grossi, head of the IAEA, told reporters the plant was safe.",
            "Rafael Grossi",
            "head of the IAEA",
        ),
        (
            "The same day, Ukrainian President Volodymyr Zelenskyy said Russia was lying.",
            "Ukrainian President Volodymyr Zelenskyy",
            "",
        ),
        (
            "Later, his press secretary, Serhii Nykyforov, said the president was misunderstood.",
            "Serhii Nykyforov",
            "his press secretary",
        ),
        (
            "The region's governor, Alexander Bogomaz, said debris had started a fire.",
            "Alexander Bogomaz",
            "The region's governor",
        ),
        (
            "In a post on X, external, the commander-in-chief, Oleksandr Syrskyi, wrote that "
            "there was no threat of encirclement.",
            "Oleksandr Syrskyi",
            "the commander-in-chief",
        ),
        (
            "Ukraine's state nuclear company, Energoatom, rejected the accusation.",
            "Energoatom",
            "Ukraine's state nuclear company",
        ),
    ],
)
def test_the_claimant_is_the_name_without_the_scene_and_its_apposition_is_its_role(
    sentence, claimant, role
):
    (candidate,) = Spotter().spot(sentence)
    assert (candidate.claimant, candidate.claimant_role) == (claimant, role)


@pytest.mark.parametrize(
    ("sentence", "organisation"),
    [
        (
            "Rafael Grossi, head of the IAEA, told reporters the cooling lines at the plant were "
            "intact.",
            "IAEA",
        ),
        (
            "The IAEA's director general, Rafael Grossi, said the inspectors had been given full "
            "access.",
            "IAEA",
        ),
        (
            "Yurii Ignat, a spokesman for Ukraine's air force, said 40 drones were shot down "
            "overnight.",
            "Ukraine's air force",
        ),
        ("The region's governor, Vyacheslav Gladkov, said a drone had hit a shop.", ""),
        ("Ukraine's state nuclear company, Energoatom, said a power line was cut.", ""),
        ("Later, his press secretary, Serhii Nykyforov, said the remarks were misread.", ""),
    ],
)
def test_a_role_in_apposition_carries_the_organisation_it_names(sentence, organisation):
    (candidate,) = Spotter().spot(sentence)
    assert candidate.claimant_organisation == organisation
    assert candidate.as_json()["claimant_organisation"] == organisation


def test_a_conditional_if_confirmed_is_no_claim_and_if_is_never_a_claimant():
    body = "Russia's claimed fall of Toretsk, if confirmed, would give Moscow the high ground."
    assert Spotter().spot(body) == []


def test_he_went_on_to_is_the_person_named_before():
    body = (
        "The Russian war correspondent Semyon Pegov wrote on Telegram that units had reached "
        "the railway.\n\nHe went on to claim that drones made movement impossible."
    )
    assert _spot(body)[1][1] == "The Russian war correspondent Semyon Pegov"


def test_he_said_quoting_sources_is_the_correspondent_just_named_not_the_president_before():
    body = (
        "President Vladimir Putin said on Wednesday that the offensive was going well. The war "
        'correspondent Semyon Pegov wrote that units had reached the railway. "The station is '
        'ours. The enemy is leaving," he said, quoting trusted sources.'
    )
    assert _spot(body)[-1][1] == "The war correspondent Semyon Pegov"


def test_it_said_in_a_statement_is_the_ministry_not_the_map_named_before():
    body = (
        "DeepState, a Ukrainian project that maps the fighting, showed Russian gains. Ukraine's "
        "Defence Ministry said its troops still held the station. The Ukrainian forces have "
        "also used the spoil heaps as cover, it said in a statement."
    )
    assert _spot(body)[-1][1] == "Ukraine's Defence Ministry"


def test_two_claimants_in_one_sentence_are_two_candidates_each_with_its_clause():
    body = (
        "Ukraine's General Staff said its forces had repelled 38 attacks, while Russia's "
        "Defence Ministry claimed its troops had entered the centre. The claims could not be "
        "independently verified."
    )
    first, second = Spotter().spot(body)
    assert (first.claimant, second.claimant) == (
        "Ukraine's General Staff",
        "Russia's Defence Ministry",
    )
    assert body[first.start : first.end].endswith("38 attacks")
    assert body[second.start : second.end].startswith("Russia's Defence Ministry claimed")
    assert first.unverified and second.unverified


def test_a_passive_report_of_attacks_is_a_claim_of_the_side_that_counts_them():
    body = (
        "Russia's Defence Ministry said it had taken a village. Ukraine's General Staff said "
        "its forces held the line.\n\nOnly 46 Russian attacks were reported on Thursday."
    )
    assert _spot(body)[-1] == (
        "Only 46 Russian attacks were reported on Thursday.",
        "Ukraine's General Staff",
    )


def test_a_passive_with_its_agent_names_the_agent():
    body = "The capture of Kotlyne was confirmed by Denis Pushilin, the Russian-installed leader."
    assert _spot(body)[0][1] == "Denis Pushilin"
