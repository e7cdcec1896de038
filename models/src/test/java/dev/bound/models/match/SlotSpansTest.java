package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SlotSpansTest {

    @Test
    void of_anAudienceAfterForOrTo_isTheSlot() {
        assertEquals(new SlotSpans.Slots("a first-time renter", "an insurance claims adjuster"),
                SlotSpans.of("For a first-time renter, explain what renters insurance covers.",
                        "For an insurance claims adjuster, explain what renters insurance covers."));
        // the asker, after "I'm a" or "I am a"
        assertEquals(new SlotSpans.Slots("wargamer", "corporate manager"),
                SlotSpans.of("I'm a wargamer \u2014 how did the Prussian army use Auftragstaktik?",
                        "I'm a corporate manager \u2014 how did the Prussian army use Auftragstaktik?"));
        assertEquals(new SlotSpans.Slots("nurse", "retired engineer"),
                SlotSpans.of("I am a nurse. What does a high anion gap mean?",
                        "I am a retired engineer. What does a high anion gap mean?"));
        // the articles are skipped on the way back to "to"
        assertEquals(new SlotSpans.Slots("a girl scout troop", "an observational astronomy journal club"),
                SlotSpans.of("How does the transit method find exoplanets? I'm giving a talk to a Girl Scout "
                        + "troop tonight.", "How does the transit method find exoplanets? I'm giving a talk to an "
                        + "observational astronomy journal club tonight."));
        // the shared article is skipped on the way back to "for"; a comma closes no slot
        assertEquals(new SlotSpans.Slots("beginner", "network engineer"),
                SlotSpans.of("Explain DNS for a beginner, briefly.", "explain dns for a Network Engineer, briefly."));
    }

    @Test
    void of_aToneAfterACommaOrADashAtTheEnd_orBeforeVoice_isTheSlot() {
        assertEquals(new SlotSpans.Slots("bitter and snarky", "gracious and kind"),
                SlotSpans.of("Write a toast for my best friend's divorce party, bitter and snarky.",
                        "Write a toast for my best friend's divorce party, gracious and kind."));
        assertEquals(new SlotSpans.Slots("calm and factual", "absolutely livid"),
                SlotSpans.of("Write my landlord a message about the mold in the bathroom \u2014 calm and factual",
                        "Write my landlord a message about the mold in the bathroom \u2014 absolutely livid"));
        // a slot a comma opens, though another comma closes it
        assertEquals(new SlotSpans.Slots("bitter and snarky", "gracious and kind"),
                SlotSpans.of("Write a toast, bitter and snarky, for the divorce party.",
                        "Write a toast, gracious and kind, for the divorce party."));
        // a slot that ends the request, whatever opens it
        assertEquals(new SlotSpans.Slots("lines", "pages"),
                SlotSpans.of("how does a HELOC work? answer in like 2 lines",
                        "how does a HELOC work? answer in like 2 pages"));
        // after "sound" and a word of degree, and before "way" after "in"
        assertEquals(new SlotSpans.Slots("empathetic", "assertive"),
                SlotSpans.of("Rewrite this reply to sound more empathetic: 'We cannot help you further.'",
                        "Rewrite this reply to sound more assertive: 'We cannot help you further.'"));
        assertEquals(new SlotSpans.Slots("gentle supportive", "blunt critical"),
                SlotSpans.of("Write feedback on a student's essay in a gentle, supportive way.",
                        "Write feedback on a student's essay in a blunt, critical way."));
        assertNull(SlotSpans.of("What is the easiest way to quit smoking?", "What is the best way to quit smoking?"));
        assertEquals(new SlotSpans.Slots("cozy hygge-drenched", "brash hard-sell"),
                SlotSpans.of("Write the intro for our candle shop's fall catalog in a cozy, hygge-drenched voice.",
                        "Write the intro for our candle shop's fall catalog in a brash, hard-sell voice."));
    }

    @Test
    void of_theKindOfTextAfterAVerbThatAsksForOne_isTheSlot() {
        assertEquals(new SlotSpans.Slots("warm fun", "strictly professional"),
                SlotSpans.of("Write a warm, fun welcome message for new members of our user group.",
                        "Write a strictly professional welcome message for new members of our user group."));
        // and after "into"
        assertEquals(new SlotSpans.Slots("warm empathetic", "blunt no-frills"),
                SlotSpans.of("Turn this update into a warm, empathetic message for the team.",
                        "Turn this update into a blunt, no-frills message for the team."));
        // an article that agrees with the slot's first word
        assertEquals(new SlotSpans.Slots("an urgent emotional", "a calm fact-based"),
                SlotSpans.of("Draft an urgent, emotional appeal for our flood relief fund.",
                        "Draft a calm, fact-based appeal for our flood relief fund."));
        // without an article the words after the verb are the topic
        assertNull(SlotSpans.of("Explain recursion with an example.", "Explain closures with an example."));
    }

    @Test
    void of_theRequestsOwnWording_orAQuestionsLastWords_isNoSlot() {
        // the slot neither follows an opener nor ends the request
        assertNull(SlotSpans.of("What is the best way to learn French?", "What is the easiest way to learn French?"));
        // a question's last words are its subject, not a constraint
        assertNull(SlotSpans.of("How did the Haitian Revolution start?", "How did the Haitian Revolution end?"));
        assertNull(SlotSpans.of("How deep should I plant tulip bulbs in clay soil?",
                "How deep should I plant tulip bulbs in sandy soil?"));
        // a slot at the very start
        assertNull(SlotSpans.of("Cheerfully announce the new parking rules.", "Grimly announce the new parking rules."));
    }

    @Test
    void of_noContentWordOnASide_tooLittleFrame_orOneSideEmpty_isNoSlot() {
        assertNull(SlotSpans.of("Explain the offside rule to me.", "Explain the offside rule for me."));
        assertNull(SlotSpans.of("Write a haiku, please.", "Compose some lines about autumn leaves, for my class."));
        // a requirement on one side only is the added-constraint check's
        assertNull(SlotSpans.of("Write a cover letter for a barista job.",
                "Write a cover letter for a barista job. Keep it to one page."));
    }

    @Test
    void of_theSameWordsInAnotherCase_isNoSlot() {
        assertNull(SlotSpans.of("Explain DNS for a beginner.", "explain dns for a beginner."));
    }
}
