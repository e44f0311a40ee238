"""The near-duplicate index: copies found, originals chosen reproducibly, removals clean."""

from __future__ import annotations

from powderkeg.ingest.neardup import NearDuplicates

STORY = (
    "Police in the capital dispersed a crowd of several hundred protesters with tear gas on Monday "
    "after the demonstrators tried to march on the parliament building, witnesses said, and at "
    "least a dozen people were detained as the opposition called for new protests later this week."
)
OTHER = (
    "The two foreign ministers met in Geneva to discuss a ceasefire along the disputed border and "
    "agreed to meet again next month, according to a joint statement that gave no further details "
    "about the talks or about the prisoners both sides say the other is holding."
)


def test_a_lightly_edited_copy_points_at_its_original_and_another_story_at_none():
    index = NearDuplicates(0.6)
    index.add("story", index.fingerprint(STORY))
    index.add("other", index.fingerprint(OTHER))
    copy = STORY.replace("on Monday", "on Monday morning").replace("a dozen", "twelve")
    match = index.original_of(index.fingerprint(copy))
    assert match is not None and match[0] == "story" and 0.6 <= match[1] < 1.0
    assert (
        index.original_of(index.fingerprint("A storm closed the port for two days and ships waited.")) is None
    )


def test_ids_sharing_a_fingerprint_tie_to_the_lowest_and_survive_each_others_removal():
    index = NearDuplicates(0.6)
    for article_id in ("b", "a", "c"):  # one text under three ids: every band holds all three
        index.add(article_id, index.fingerprint(STORY))
    assert index.original_of(index.fingerprint(STORY)) == ("a", 1.0)
    index.discard("a")
    index.discard("a")  # twice: nothing more happens
    assert index.original_of(index.fingerprint(STORY)) == ("b", 1.0)
    index.discard("b")
    index.discard("c")
    assert index.original_of(index.fingerprint(STORY)) is None
    assert len(index) == 0 and all(not band for band in index.bands)


def test_fingerprints_read_back_from_their_stored_bytes_find_the_same_original():
    index, loaded = NearDuplicates(0.6), NearDuplicates(0.6)
    fingerprint = index.fingerprint(STORY)
    index.add("story", fingerprint)
    loaded.load([("story", NearDuplicates.to_bytes(fingerprint))])
    copy = index.fingerprint(STORY.replace("tear gas", "water cannon"))
    assert loaded.original_of(copy) == index.original_of(copy) is not None
