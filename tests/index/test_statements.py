"""Who said what: which sentence of a small made-up article is attributed to whom, in English,
Hindi and Indonesian; whole names across scripts; aliases an article defines; resolution."""

from __future__ import annotations

from types import ModuleType

import pytest

import index.statements as statements
from index.statements import (
    TITLE_POSITION,
    NameMatcher,
    Statement,
    alias_map,
    extract_statements,
    learn_aliases,
    name_key,
    resolve,
    same_name_word,
    speaker_matches,
    spoken_by,
)


def article(*paragraphs: str, lang: str) -> list[tuple[int, str, str]]:
    """Passages as storybot stores them: (position, text, lang), one paragraph each."""
    return [(n, text, lang) for n, text in enumerate(paragraphs)]


def said(passages: list[tuple[int, str, str]], title: str | None = None) -> list[tuple[str, str]]:
    """(speaker, sentence) of each statement, the sentence cut out of its passage."""
    texts = {position: text for position, text, _lang in passages}
    texts[TITLE_POSITION] = title or ""
    return [(s.speaker, texts[s.position][s.sentence[0] : s.sentence[1]])
            for s in extract_statements(title, passages)]


def by(passages: list[tuple[int, str, str]], speaker: str) -> list[str]:
    """The sentences attributed to ``speaker``."""
    return [sentence for who, sentence in said(passages) if who == speaker]


# --- cues ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang", "speaker", "sentence"), [
    ('Harga beras naik. "Kita akan turunkan harga," kata Rudi Hartono di Jakarta.', "id",
     "Rudi Hartono", '"Kita akan turunkan harga," kata Rudi Hartono di Jakarta.'),
    ('"Kami siap," ujar Siti Aminah, Senin (20/10/2025).', "id",
     "Siti Aminah", '"Kami siap," ujar Siti Aminah, Senin (20/10/2025).'),
    ('The plant will close. "It was a hard call," said Laura Bennett, a plant manager.', "en",
     "Laura Bennett", '"It was a hard call," said Laura Bennett, a plant manager.'),
    ("Laura Bennett has also said the plant will reopen in spring.", "en",
     "Laura Bennett", "Laura Bennett has also said the plant will reopen in spring."),
    ("Rudi Hartono menegaskan harga beras akan turun.", "id",
     "Rudi Hartono", "Rudi Hartono menegaskan harga beras akan turun."),
])
def test_verb_before_or_after_the_speaker(text: str, lang: str, speaker: str,
                                          sentence: str) -> None:
    """A verb of saying before ('"…," kata X', '"…," said X') or after ("X menegaskan", "X
    has also said") its speaker makes that sentence X's statement."""
    assert said(article(text, lang=lang)) == [(speaker, sentence)]


@pytest.mark.parametrize(("text", "lang", "speaker"), [
    ("Menurut Rudi Hartono, harga beras akan turun bulan depan.", "id", "Rudi Hartono"),
    ("The factory will close in May, according to Laura Bennett.", "en", "Laura Bennett"),
    ("अर्जुन मेहता के अनुसार अगले महीने से दाम घटेंगे।", "hi", "अर्जुन मेहता"),
    ("अर्जुन मेहता का कहना है कि अगले महीने से दाम घटेंगे।", "hi", "अर्जुन मेहता"),
])
def test_according_to(text: str, lang: str, speaker: str) -> None:
    """"according to X", "menurut X", "X के अनुसार", "X का कहना है" attribute the sentence to X."""
    assert said(article(text, lang=lang)) == [(speaker, text)]


def test_passive_names_the_official_and_the_body_they_speak_for() -> None:
    """"dibenarkan oleh Wakil Ketua KPK, X" is X's statement, and KPK's through its official."""
    text = "Kabar penangkapan itu dibenarkan oleh Wakil Ketua KPK, Rina Wulandari."
    [statement] = extract_statements(None, article(text, lang="id"))
    assert (statement.speaker, statement.cue, statement.on_behalf) == (
        "Rina Wulandari", "passive", "KPK")
    assert spoken_by("KPK", statement)
    assert not speaker_matches("KPK", statement.speaker)


def test_hindi_marker_reaches_over_the_words_before_the_verb() -> None:
    """"X ने <place, time, object> कहा" is X's; "उन्होंने कहा" continues X; titles go."""
    passages = article(
        "प्रधानमंत्री अर्जुन मेहता ने सोमवार को संसद में अपने भाषण में कहा कि दाम घटेंगे।",
        "उन्होंने कहा कि सरकार तैयार है।", lang="hi")
    assert said(passages) == [
        ("अर्जुन मेहता", "प्रधानमंत्री अर्जुन मेहता ने सोमवार को संसद में अपने भाषण में कहा कि दाम घटेंगे।"),
        ("अर्जुन मेहता", "उन्होंने कहा कि सरकार तैयार है।"),
    ]
    assert [s.cue for s in extract_statements(None, passages)] == ["after", "pronoun"]


@pytest.mark.parametrize(("text", "lang", "speaker"), [
    ("Former President Laura Bennett said the deal was fair.", "en", "Laura Bennett"),
    ("Presiden Rudi Hartono menegaskan harga beras akan turun.", "id", "Rudi Hartono"),
    ("Menteri Keuangan Rudi Hartono mengatakan defisit terjaga.", "id", "Rudi Hartono"),
    ("प्रधानमंत्री अर्जुन मेहता ने कहा कि दाम घटेंगे।", "hi", "अर्जुन मेहता"),
    ("दिल्ली के मुख्यमंत्री अर्जुन मेहता ने कहा कि स्कूल बंद रहेंगे।", "hi", "अर्जुन मेहता"),
])
def test_titles_and_roles_are_stripped(text: str, lang: str, speaker: str) -> None:
    """The speaker is the name without its titles ("Former President", "Menteri Keuangan")."""
    assert [who for who, _sentence in said(article(text, lang=lang))] == [speaker]


# --- who is (not) the speaker ----------------------------------------------------------------


def test_namesake_introduced_earlier_is_the_speaker() -> None:
    """"Kenneth Trump, a consultant … '…,' Trump said" is Kenneth Trump, not Donald Trump."""
    passages = article(
        "Kenneth Trump, a school safety consultant, has studied threats for years.",
        '"Schools are safer than they look," Trump said.', lang="en")
    assert said(passages) == [("Kenneth Trump", '"Schools are safer than they look," Trump said.')]
    assert not speaker_matches("Donald Trump", "Kenneth Trump")


def test_resolve_picks_the_entity_a_typed_surname_means() -> None:
    """A follow of "Trump" resolves to the most quoted full name, which rejects a namesake."""
    wanted = resolve("Trump", {"Donald Trump": 120, "Trump": 80, "Kenneth Trump": 1})
    assert wanted == "Donald Trump"
    assert speaker_matches(wanted, "Trump")
    assert not speaker_matches(wanted, "Kenneth Trump")
    assert resolve("Nobody", {"Donald Trump": 3}) == "Nobody"


@pytest.mark.parametrize(("passages", "not_by"), [
    (article("President Boris Orlov met the envoy.",
             "Ivan Petrov, Orlov's spokesman, told reporters the talks would go on.", lang="en"),
     "Boris Orlov"),
    (article("President Boris Orlov met the envoy.",
             "Orlov's spokesman said the talks would go on.", lang="en"), "Boris Orlov"),
    (article("अर्जुन प्रशासन ने सोमवार को कहा कि जांच बढ़ेगी।", lang="hi"), "अर्जुन"),
    (article("Pengacara Rudi menjelaskan kliennya tidak bersalah.", lang="id"), "Rudi"),
    (article("The Bennett administration said the plant would close.", lang="en"), "Bennett"),
    (article("Presiden Rudi menghadiri rapat.",
             "Hasan Nasbi, juru bicara Rudi, mengatakan rapat lancar.", lang="id"), "Rudi"),
    (article("Ivan Petrov, Orlov's spokesman, told reporters the talks would go on.", lang="en"),
     "Orlov"),
])
def test_spokesperson_lawyer_administration_are_not_the_person(
    passages: list[tuple[int, str, str]], not_by: str
) -> None:
    """A spokesperson, lawyer or administration of X speaks, never X."""
    found = extract_statements(None, passages)
    assert found
    assert not any(spoken_by(not_by, s) for s in found)


def test_spokesperson_is_named_when_the_article_names_them() -> None:
    """"Ivan Petrov, Orlov's spokesman, told …" is Ivan Petrov's statement."""
    passages = article("Ivan Petrov, Orlov's spokesman, told reporters the talks would go on.",
                       lang="en")
    assert [who for who, _s in said(passages)] == ["Ivan Petrov"]


@pytest.mark.parametrize("text", [
    "Senator Ruth Ames told Laura Bennett the deal was off.",
    "Bennett's false claims spread quickly online.",
    "Laura Bennett signed the bill on Monday.",
    "Laura Bennett has never publicly acknowledged the letter.",
])
def test_addressee_claims_actions_and_negations_are_not_statements(text: str) -> None:
    """An addressee, a nominal claim, an act or a negated verb gives Bennett no statement."""
    assert not any(speaker_matches("Laura Bennett", who)
                   for who, _s in said(article(text, lang="en")))


def test_relayed_speech_is_the_relayers() -> None:
    """"According to A, X agreed …" and "A said X told him …" are A's, not X's."""
    passages = article("According to Ruth Ames, Laura Bennett agreed to the talks.",
                       "Ruth Ames said Laura Bennett told her the talks were over.", lang="en")
    assert [who for who, _s in said(passages)] == ["Ruth Ames", "Ruth Ames"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Laura Bennett and Ruth Ames said in a joint statement that the plant would stay open.",
     "en"),
    ("अर्जुन मेहता और सारा खान ने कहा कि स्कूल खुले रहेंगे।", "hi"),
])
def test_joint_statement_is_each_speakers(text: str, lang: str) -> None:
    """"X and Y said" gives one statement per speaker, on the same sentence."""
    found = said(article(text, lang=lang))
    assert len(found) == 2
    assert {sentence for _who, sentence in found} == {text}


@pytest.mark.parametrize(("text", "lang"), [
    ("Simak juga Video: Rudi Hartono bicara soal harga beras", "id"),
    ("Baca juga: Rudi Hartono mengatakan harga beras turun", "id"),
    ("JUST WATCHED Laura Bennett says the plant will close", "en"),
    ("यह भी पढ़ें: अर्जुन मेहता ने कहा दाम घटेंगे", "hi"),
])
def test_related_content_lines_yield_nothing(text: str, lang: str) -> None:
    """A related-video or read-also line is not the article's statement."""
    assert said(article(text, lang=lang)) == []


def test_quote_attributed_in_the_next_sentence() -> None:
    """'"…." The minister said this on Monday.' gives the quote to the minister named earlier."""
    quote = '"We will not raise taxes this year."'
    passages = article("Finance Minister Lena Ortiz spoke at the forum.",
                       f"{quote} The minister said this on Monday.", lang="en")
    found = extract_statements(None, passages)
    quoted = [s for s in found if passages[1][1][s.sentence[0] : s.sentence[1]] == quote]
    assert [(s.speaker, s.cue) for s in quoted] == [("Lena Ortiz", "quote_prev")]


def test_quote_attributed_in_the_previous_sentence() -> None:
    """'X said on Monday:' followed by a quote gives the quote to X (cue "quote_next")."""
    passages = article('Lena Ortiz said on Monday:', '"We will not raise taxes this year."',
                       lang="en")
    assert [(s.speaker, s.cue) for s in extract_statements(None, passages)] == [
        ("Lena Ortiz", "after"), ("Lena Ortiz", "quote_next")]


def test_headline_name_after_a_colon() -> None:
    """A title "…: X" is X's statement when X speaks in the article (cue "headline")."""
    passages = article("प्रधानमंत्री अर्जुन मेहता ने कहा कि दाम घटेंगे।", lang="hi")
    found = extract_statements("महंगाई से जल्द राहत मिलेगी : अर्जुन मेहता", passages)
    assert [(s.speaker, s.cue, s.position) for s in found][-1] == (
        "अर्जुन मेहता", "headline", TITLE_POSITION)


def test_all_caps_headline_word_is_not_the_acronym() -> None:
    """"WHO WAS …" shouting in a title is not the WHO speaking, nor an alias."""
    passages = article("Police said the suspect was arrested on Friday.", lang="en")
    found = extract_statements("WHO WAS THE GUNMAN? POLICE SAY HE ACTED ALONE", passages)
    assert not any(speaker_matches("WHO", s.speaker) for s in found)
    assert learn_aliases("WHO WAS THE KILLER (WHO)", "en") == []


def test_statement_spans_index_the_passage() -> None:
    """``mention`` slices the speaker's name and ``content`` the quote out of the passage."""
    text = 'Harga beras naik. "Kita akan turunkan harga," kata Rudi Hartono di Jakarta.'
    [statement] = extract_statements(None, article(text, lang="id"))
    assert text[slice(*statement.mention)] == "Rudi Hartono"
    assert text[slice(*statement.content)] == "Kita akan turunkan harga,"
    assert statement.quoted is False  # four words: a phrase quoted, not yet direct speech


@pytest.mark.parametrize(("text", "speaker"), [
    ("Stocks are low, the World Food Agency (WFA) said on Monday.", "World Food Agency"),
    ("Microsoft's statement said the deal was fair.", "Microsoft"),
    ("In a statement, Microsoft said the deal was fair.", "Microsoft"),
    ("Ruth Ames, a nurse, was six when the war began, she told reporters.", "Ruth Ames"),
])
def test_who_the_english_phrase_names(text: str, speaker: str) -> None:
    """"X (ACR) said" is X in full; "X's statement said" and "in a statement, X said" are X's;
    a pronoun is the name opening its sentence."""
    assert [who for who, _s in said(article(text, lang="en"))] == [speaker]


@pytest.mark.parametrize("text", [
    "A ceremony in Edinburgh publicly proclaimed the new king.",
    '"Laura Bennett had warned us," the analyst wrote.',
])
def test_object_of_a_preposition_or_quote_is_no_speaker(text: str) -> None:
    """A name after a preposition, or inside someone else's quote, does not speak."""
    speakers = [who for who, _s in said(article(text, lang="en"))]
    assert not {"Edinburgh", "Laura Bennett"} & set(speakers)


def test_language_without_cue_data_yields_nothing() -> None:
    """A passage in a language with no data file gives no statement (and no error)."""
    assert extract_statements("Titre", article("Marie Dubois a dit que oui.", lang="fr")) == []


# --- names across scripts --------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("ट्रंप", "Trump"), ("ट्रम्प", "Trump"), ("मोदी", "Modi"), ("केजरीवाल", "Kejriwal"),
    ("बाइडन", "Biden"), ("पुतिन", "Putin"), ("डोनाल्ड", "Donald"), ("नरेंद्र", "Narendra"),
])
def test_transliterated_name_words_meet(a: str, b: str) -> None:
    """A Devanagari name word meets its Latin spelling."""
    assert same_name_word(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("मोदी", "Moody"), ("मोदी", "made"), ("मोदी", "media"), ("Putin", "potensi"),
    ("Yuda", "Yudhi"),
])
def test_sound_alikes_do_not_meet(a: str, b: str) -> None:
    """Consonants alike are not enough: मोदी is not "Moody's", "made" or "media"."""
    assert not same_name_word(a, b)


def test_sound_alike_statement_does_not_match() -> None:
    """"Moody's Analytics said …" is no statement by मोदी."""
    passages = article("Moody's Analytics said growth would slow next year.", lang="en")
    [statement] = extract_statements(None, passages)
    assert not speaker_matches("मोदी", statement.speaker)
    assert not spoken_by("मोदी", statement)


def test_transliterated_speaker_meets_the_typed_name() -> None:
    """"राष्ट्रपति डोनाल्ड ट्रंप ने कहा" is by "Trump" and by "ट्रंप"."""
    passages = article("अमेरिका के राष्ट्रपति डोनाल्ड ट्रंप ने कहा कि बातचीत जारी रहेगी।", lang="hi")
    [statement] = extract_statements(None, passages)
    assert statement.speaker == "डोनाल्ड ट्रंप"
    assert speaker_matches("Trump", statement.speaker)
    assert speaker_matches("Donald Trump", statement.speaker)
    assert speaker_matches("ट्रंप", "Donald Trump")


def test_spelled_out_acronym_is_the_acronym() -> None:
    """डब्ल्यूएचओ is WHO, letter by letter; an acronym meets no ordinary word."""
    assert name_key("डब्ल्यूएचओ") == name_key("WHO") == ("WHO",)
    assert speaker_matches("WHO", "डब्ल्यूएचओ")
    assert not speaker_matches("WHO", "Who")


# --- aliases -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang", "pair"), [
    ("the World Health Organization (WHO) said", "en", ("World Health Organization", "WHO")),
    ("Menurut Organisasi Kesehatan Dunia (WHO), kasus naik.", "id",
     ("Organisasi Kesehatan Dunia", "WHO")),
    ("विश्व स्वास्थ्य संगठन (डब्ल्यूएचओ) ने कहा", "hi", ("विश्व स्वास्थ्य संगठन", "डब्ल्यूएचओ")),
    ("Komisi Pemberantasan Korupsi (KPK) menyatakan", "id",
     ("Komisi Pemberantasan Korupsi", "KPK")),
    ("Presiden ke-7 Joko Widodo (Jokowi) hadir.", "id", ("Joko Widodo", "Jokowi")),
])
def test_learn_aliases(text: str, lang: str, pair: tuple[str, str]) -> None:
    """A name followed by its short form in brackets defines an alias."""
    assert learn_aliases(text, lang) == [pair]


def test_acronym_learned_from_the_text_connects_the_bodys_names() -> None:
    """An organisation typed by one name meets its statements under its other names, across
    languages and scripts, once the articles define the aliases."""
    texts = [("Badan Pangan Dunia (BPD) menyatakan stok cukup.", "id"),
             ("The World Food Agency (BPD) said stocks were low.", "en")]
    aliases = alias_map(pair for text, lang in texts for pair in learn_aliases(text, lang))
    [statement] = extract_statements(None, article(texts[1][0], lang="en"))
    assert statement.speaker == "World Food Agency"
    assert speaker_matches("Badan Pangan Dunia", statement.speaker, aliases)
    assert speaker_matches("BPD", statement.speaker, aliases)
    assert not speaker_matches("Badan Pangan Dunia", statement.speaker)
    assert resolve("BPD", {"World Food Agency": 3, "BPD": 1}, aliases) == "World Food Agency"


def test_generic_word_alone_is_no_organisation() -> None:
    """"The organization says" is not the World Health Organization's statement."""
    assert not speaker_matches("World Health Organization", "organization")


def test_matcher_checks_many_speakers_for_one_follow() -> None:
    """``NameMatcher`` is ``speaker_matches`` with the follow's name and aliases read once."""
    matcher = NameMatcher("Trump")
    assert [matcher(s) for s in ("Donald Trump", "ट्रंप", "Trump administration")] == [
        True, True, False]
    assert isinstance(extract_statements(None, article("Trump said so.", lang="en"))[0],
                      Statement)


def test_package_exports_what_it_declares() -> None:
    """``__all__`` names exactly the package's public members (its modules aside)."""
    public = {name for name, value in vars(statements).items()
              if not name.startswith("_") and not isinstance(value, ModuleType)
              and name != "annotations"}
    assert public == set(statements.__all__)


# --- attribution errors found on real text ---------------------------------------------------


def test_hindi_time_phrase_is_no_part_of_the_name() -> None:
    """"पिछले महीने नोवाटेक ने … कहा" is नोवाटेक's: a time phrase before a Devanagari name (there
    are no capitals to tell) never joins it."""
    passages = article(
        "पिछले महीने नोवाटेक ने अपने ग्राहकों से कहा था कि सेवा बंद होगी।",
        "इस हफ्ते अर्जुन मेहता ने बताया कि दाम घटेंगे।",
        "सोमवार को सारा खान ने कहा कि स्कूल खुले रहेंगे।", lang="hi")
    assert [who for who, _s in said(passages)] == ["नोवाटेक", "अर्जुन मेहता", "सारा खान"]


@pytest.mark.parametrize(("text", "speaker"), [
    ("पत्रकार बने अर्जुन मेहता ने अपने अखबार में लिखा कि दाम घटेंगे।", "अर्जुन मेहता"),
    ("रोकथाम में जुटी राज्य सरकार ने कहा कि स्कूल बंद रहेंगे।", "राज्य सरकार"),
    ("स्वास्थ्य मंत्रालय ने बताया कि 20 नए मामले सामने आए।", "स्वास्थ्य मंत्रालय"),
    ("सरकारी मीडिया डेली टुडे के मुताबिक दाम घटेंगे।", "डेली टुडे"),
])
def test_hindi_phrase_bounds(text: str, speaker: str) -> None:
    """A verb form before a name ("बने", "जुटी") is no part of it; a title word that names a
    body with its organisation word ("स्वास्थ्य मंत्रालय") is; a common noun before a name
    ("मीडिया") ends the phrase."""
    assert [who for who, _s in said(article(text, lang="hi"))] == [speaker]


@pytest.mark.parametrize("text", [
    "तैयारियों पर नजर रखने और जरूरत के मुताबिक कदम उठाने के लिए समूह बनाया गया है।",
    "एक पत्र के अनुसार, कंपनी ने समझौता तोड़ा है।",
])
def test_hindi_nouns_that_name_no_speaker(text: str) -> None:
    """"जरूरत के मुताबिक" (as needed) and "एक पत्र के अनुसार" (according to a letter, whose
    unsaid) are no one's statement."""
    assert said(article(text, lang="hi")) == []


@pytest.mark.parametrize("verb", [
    "ने यह कहते हुए प्रतिक्रिया दी कि", "ने जवाब दिया कि", "ने बयान जारी किया कि",
    "ने ट्वीट किया कि", "ने पुष्टि की कि", "ने आरोप लगाते हुए कहा कि",
])
def test_hindi_compound_verbs_are_cues(verb: str) -> None:
    """Compound verbs of saying ("प्रतिक्रिया दी", "जवाब दिया", "पुष्टि की", …) attribute the
    sentence to the one marked with ने."""
    text = f"Novatek {verb} वह भुगतान नहीं करता है।"
    assert [who for who, _s in said(article(text, lang="hi"))] == ["Novatek"]


def sample_like_hindi() -> list[tuple[int, str, str]]:
    """A Hindi article shaped like the bundled sample: two companies, one in Latin script
    beside the other in Devanagari ("कि Microsoft ट्विटर के …")."""
    return article(
        "ट्विटर ने माइक्रोसॉफ्ट पर डेटा के अनुचित उपयोग का आरोप लगाते हुए एक पत्र भेजा।",
        "पत्र में, ट्विटर ने कहा कि माइक्रोसॉफ्ट ने एक समझौते का उल्लंघन किया है।",
        "Microsoft ने यह कहते हुए प्रतिक्रिया दी कि वह भुगतान नहीं करता है।",
        "फ्रैंक शॉ, एक Microsoft प्रवक्ता, ने पत्र मिलने की पुष्टि की।",
        "यह मांग करता है कि Microsoft ट्विटर के डेवलपर समझौते का पालन करे।", lang="hi")


def test_two_names_side_by_side_in_two_scripts_are_two_entities() -> None:
    """"Microsoft ट्विटर" is two names, not the fuller name of ट्विटर: a question about
    Microsoft never matches Twitter's statements, nor one about Twitter Microsoft's."""
    passages = sample_like_hindi()
    title = "ट्विटर ने माइक्रोसॉफ्ट पर डेटा के अनुचित उपयोग का आरोप लगाया: रिपोर्ट"
    found = extract_statements(title, passages)
    by_twitter = [s for s in found if s.speaker == "ट्विटर"]
    assert len(by_twitter) == 3  # two sentences and the headline
    assert not any(spoken_by("Microsoft", s) or spoken_by("माइक्रोसॉफ्ट", s) for s in by_twitter)
    assert [s.speaker for s in found if spoken_by("Microsoft", s)] == ["Microsoft", "फ्रैंक शॉ"]
    assert not any(spoken_by("Twitter", s) for s in found if s.speaker != "ट्विटर")


def test_spokesperson_set_off_by_commas_speaks_for_the_organisation() -> None:
    """"फ्रैंक शॉ, एक Microsoft प्रवक्ता, ने …" is फ्रैंक शॉ's statement, on behalf of
    Microsoft; likewise "Rina Wulandari, juru bicara Novatek, mengonfirmasi …"."""
    hindi = [s for s in extract_statements(None, sample_like_hindi()) if s.cue == "after"]
    assert (hindi[-1].speaker, hindi[-1].on_behalf) == ("फ्रैंक शॉ", "Microsoft")
    text = "Rina Wulandari, juru bicara Novatek, mengonfirmasi penerimaan surat itu."
    [statement] = extract_statements(None, article(text, lang="id"))
    assert (statement.speaker, statement.on_behalf) == ("Rina Wulandari", "Novatek")
    assert spoken_by("Novatek", statement)


@pytest.mark.parametrize(("text", "lang", "speaker"), [
    ("Alex Spiro, pengacara pribadi Elon Musk, pemilik media sosial Twitter, menulis dalam "
     "surat kepada CEO Microsoft bahwa perjanjian dilanggar.", "id", "Alex Spiro"),
    ("Ivan Petrov, a lawyer for Boris Orlov, the owner of the club, wrote to the board that "
     "the deal was void.", "en", "Ivan Petrov"),
    ("Dmitry Peskov, Putin's spokesman, told reporters the talks would go on.", "en",
     "Dmitry Peskov"),
])
def test_appositive_stand_in_speaks_never_the_one_named_in_it(text: str, lang: str,
                                                              speaker: str) -> None:
    """"X, <stand-in or role> (of) Y, … VERB" is X's statement, however many asides follow,
    and never Y's."""
    found = extract_statements(None, article(text, lang=lang))
    assert [s.speaker for s in found] == [speaker]
    assert not any(spoken_by(name, s) for s in found
                   for name in ("Elon Musk", "Musk", "Boris Orlov", "Putin"))


@pytest.mark.parametrize(("text", "lang", "speaker", "body"), [
    ("Kasi Intel Kejari Mawar, Budi Santoso, membenarkan adanya barang bukti itu.", "id",
     "Budi Santoso", "Intel Kejari Mawar"),
    ('"Dia siap," kata pengacara Lisa Mariana, Jhony Nababan, kepada wartawan.', "id",
     "Jhony Nababan", None),
    ("Kepala Kepolisian Mawar, Jenderal Oscar Arriola, mengatakan polisi tewas.", "id",
     "Oscar Arriola", "Kepolisian Mawar"),
])
def test_name_set_off_after_an_office_is_its_holder(text: str, lang: str, speaker: str,
                                                    body: str | None) -> None:
    """"<office>, <name>, VERB" and '"…," kata <office>, <name>,' are the named holder's, for
    the body of the office (a stand-in, such as a lawyer, speaks for no one)."""
    [statement] = extract_statements(None, article(text, lang=lang))
    assert (statement.speaker, statement.on_behalf) == (speaker, body)


def test_mention_grows_only_into_a_fuller_name_of_the_same_entity() -> None:
    """"Menurut Twitter, …" stays Twitter when the article later names a product "Twitter
    Blue"; a person introduced in full is still named so ("Elon Musk" for a later "Musk")."""
    passages = article(
        "Twitter telah mengirim surat kepada Microsoft.",
        "Menurut Twitter, Microsoft telah melanggar perjanjian data.",
        "Twitter telah memperkenalkan produk berlangganan baru atau Twitter Blue.",
        "Elon Musk, pemilik Twitter, hadir.", "Musk menegaskan perjanjian itu sah.", lang="id")
    assert [who for who, _s in said(passages)] == ["Twitter", "Elon Musk"]
    assert not any(spoken_by("Microsoft", s) for s in extract_statements(None, passages))


@pytest.mark.parametrize(("passages", "speaker"), [
    (article("Misbakhun mengatakan ekonomi tumbuh.",
             "Politikus Partai Golkar ini menyebut ekonomi bergantung pada pemerintah.",
             lang="id"), "Misbakhun"),
    (article('"Lingkungan harus bersih," kata Eddy Soeparno.',
             "Menurut Wakil Ketua Umum PAN ini, hak rakyat harus dipenuhi.", lang="id"),
     "Eddy Soeparno"),
])
def test_description_with_a_demonstrative_is_the_person_just_named(
    passages: list[tuple[int, str, str]], speaker: str
) -> None:
    """"Politikus Partai Golkar ini menyebut …" is the politician just quoted, not the party."""
    assert [who for who, _s in said(passages)][-1] == speaker


def test_region_between_office_and_holder_belongs_to_the_body() -> None:
    """"Kepala Disdik Mawar Saemina": the article writes "Kota Mawar" and calls her Saemina, so
    the name is Saemina, for "Disdik Mawar"."""
    passages = article(
        "Dinas Pendidikan (Disdik) Kota Mawar akhirnya bersuara.",
        '"Kami menyerahkan ke ranah hukum," kata Kepala Disdik Mawar Saemina.',
        "Saemina menjelaskan status guru itu belum berubah.", lang="id")
    found = extract_statements(None, passages)
    assert [(s.speaker, s.on_behalf) for s in found] == [
        ("Saemina", "Disdik Mawar"), ("Saemina", None)]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Dewan Pengawas BPJS, Itida Yasar, SH, MPsi, menilai layanan masih kuratif.", "Itida Yasar"),
    ("Sekretaris Kabinet Teddy Indra Wijaya mengatakan bantuan disalurkan.", "Teddy Indra Wijaya"),
    ("Sementara itu, Siti Zuhro sebagai perwakilan Majelis Kiai mengungkap isi pertemuan.",
     "Siti Zuhro"),
    ("Menurut riset Universitas Mawar, pelamar jarang dipanggil.", "Universitas Mawar"),
])
def test_indonesian_phrase_bounds(text: str, speaker: str) -> None:
    """Degrees after a name, an office's complement ("Sekretaris Kabinet"), a capacity
    ("sebagai perwakilan …") and a study ("riset X") are no part of the speaker's name."""
    assert [who for who, _s in said(article(text, lang="id"))] == [speaker]


@pytest.mark.parametrize(("passages", "not_speaker"), [
    (article("Aktris itu membantah beberapa poin yang disampaikan JPU.", lang="id"), "JPU"),
    (article('Powell berbicara di Washington. "Tidak mudah menentukan langkah terbaik," '
             "ujarnya seperti dikutip dari Reuters.", lang="id"), "Reuters"),
])
def test_relative_clause_and_relaying_medium_are_no_speakers(
    passages: list[tuple[int, str, str]], not_speaker: str
) -> None:
    """"poin yang disampaikan JPU" names points, and "ujarnya seperti dikutip dari Reuters" is
    the speaker's, relayed by the medium: neither is a statement by them."""
    assert not_speaker not in [who for who, _s in said(passages)]


@pytest.mark.parametrize(("text", "speaker"), [
    ("The Health Ministry said 20 people died.", "Health Ministry"),
    ("The state Department of Health said 20 people died.", "Department of Health"),
    ("Nobody was hurt, according to the FAA release.", "FAA"),
    ("Photos: Prime Minister Laura Bennett Bennett announces her resignation.", "Laura Bennett"),
])
def test_english_phrase_bounds(text: str, speaker: str) -> None:
    """A title naming a body stays with it ("Health Ministry"), a lowercase one does not
    ("state"); a release is its owner's; a name repeated by a caption is one name."""
    assert [who for who, _s in said(article(text, lang="en"))] == [speaker]


def test_headline_name_begins_the_part_before_the_colon() -> None:
    """"Rudi Marah soal Harga: …" is Rudi Hartono's when he speaks in the article: the name
    is the part's first word, not the whole part."""
    passages = article("Rudi Hartono mengatakan harga beras akan turun.", lang="id")
    found = extract_statements("Rudi Marah soal Harga: Beras Harus Turun", passages)
    assert (found[-1].cue, found[-1].speaker) == ("headline", "Rudi Hartono")
