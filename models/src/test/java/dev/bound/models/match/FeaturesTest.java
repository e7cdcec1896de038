package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FeaturesTest {

    private static double[] features(String a, String b) {
        return Features.extract(TextFeatures.of(a), TextFeatures.of(b), 0.9, Double.NaN);
    }

    private static double feature(String name, String a, String b) {
        return features(a, b)[Features.indexOf(name)];
    }

    @Test
    void antonym_enableVersusDisable2fa_fires() {
        assertEquals(1.0, feature("antonym", "How do I enable 2FA?", "How do I disable 2FA?"));
        assertEquals(1.0, feature("antonym", "What is the strong nuclear force?", "What is the weak nuclear force?"));
        assertEquals(1.0, feature("antonym", "Can a buyer back out of a house sale after signing the purchase agreement?",
                "Can a seller back out of a house sale after signing the purchase agreement?"));
        // a word with "-less" against the word
        assertEquals(1.0, feature("antonym", "How do I patch a tubeless motorcycle tire?", "How do I patch a tubed motorcycle tire?"));
        assertEquals(1.0, feature("antonym", "swiftui NavigationStack push view programmatically",
                "swiftui NavigationStack pop to root view programmatically"));
        assertEquals(1.0, feature("antonym", "What perennials can I plant in a shady garden bed in zone 5?",
                "What perennials can I plant in a sunny garden bed in zone 5?"));
        // two opposites put for each other at once
        assertEquals(1.0, feature("antonym", "My knitting is too tight; how do I loosen my tension?",
                "My knitting is too loose; how do I tighten my tension?"));
        assertEquals(1.0, feature("antonym", "arduino attachInterrupt trigger when a button wired with INPUT_PULLUP is pressed",
                "arduino attachInterrupt trigger when a button wired with INPUT_PULLUP is released"));
        assertEquals(1.0, feature("antonym", "Do I need to report a $20,000 cash gift to the IRS if I'm the giver?",
                "Do I need to report a $20,000 cash gift to the IRS if I'm the recipient?"));
        assertEquals(1.0, feature("antonym", "How do I file my US taxes jointly with my spouse?",
                "How do I file my US taxes separately from my spouse?"));
        assertEquals(1.0, feature("antonym", "firestore pagination go back to previous page with endBefore",
                "firestore pagination next page with startAfter"));
        assertEquals(1.0, feature("antonym", "Is wireless charging bad for the battery?", "Is wired charging bad for the battery?"));
        // an owner counts as its word, in the counting too
        assertEquals(1.0, feature("antonym", "What should the bride's family pay for at the wedding?",
                "What should the groom's family pay for at the wedding?"));
        assertEquals(0.0, feature("antonym", "Who handles mold in a rental, the tenant or the landlord?",
                "If mold shows up in a rental, is it the landlord's or the tenant's job?"));
        assertEquals(1.0, feature("antonym", "cloudwatch get-metric-statistics average cpu",
                "cloudwatch get-metric-statistics maximum cpu"));
        assertEquals(1.0, feature("antonym", "mockmvc test with an authenticated user spring security",
                "mockmvc test as an anonymous user spring security"));
        assertEquals(1.0, feature("antonym", "elasticsearch sum aggregation of price field",
                "elasticsearch average aggregation of price field"));
        assertEquals(1.0, feature("antonym", "cmake find_package REQUIRED, stop if missing",
                "cmake find_package optional, continue configuring if not found"));
    }

    @Test
    void antonym_bothPolesJoinedInOneText_doesNotFire_apartTheyStillDo() {
        // each text weighs both sides, in its own words
        assertEquals(0.0, feature("antonym", "Explain the pros and cons of value-based pricing for consultants.",
                "For consultants, what are the advantages and drawbacks of pricing based on value?"));
        assertEquals(0.0, feature("antonym", "Should sake be served warm or cold?", "Is sake meant to be drunk hot or chilled?"));
        // both poles in one text but not joined, or one pole a side: still turned round
        assertEquals(1.0, feature("antonym", "Write a Python script that reads a CSV file.",
                "Write a Python script that writes a CSV file."));
        assertEquals(1.0, feature("antonym", "What are the pros of adopting a rescue dog?",
                "What are the cons of adopting a rescue dog?"));
    }

    @Test
    void antonym_aMajorAgainstAMinorRelease_fires() {
        assertEquals(1.0, feature("antonym", "postgres major upgrade 14 to 16", "postgres minor upgrade 16.1 to 16.4"));
        assertEquals(0.0, feature("antonym", "postgres major version upgrade with pg_upgrade",
                "How do I upgrade PostgreSQL to a new major version using pg_upgrade?"));
    }

    @Test
    void antonym_aLevelOfDifficultyOrABenefitAgainstAHarm_fires() {
        assertEquals(1.0, feature("antonym", "Suggest a beginner-friendly knife skills drill I can practice at home.",
                "Suggest an advanced knife skills drill I can practice at home."));
        assertEquals(1.0, feature("antonym", "Give me an easy practice problem on Newton's second law.",
                "Give me a really tough, competition-level practice problem on Newton's second law."));
        assertEquals(1.0, feature("antonym", "What were the benefits of the Industrial Revolution for British workers?",
                "What were the harms of the Industrial Revolution for British workers?"));
        assertEquals(1.0, feature("antonym", "Give me an easy fingerpicking exercise for acoustic guitar.",
                "Give me an advanced fingerpicking exercise for acoustic guitar."));
        // a beginner is a reader, not a level: "hard for beginners" asks what "difficult when just learning" asks
        assertEquals(0.0, feature("antonym", "Why is fingerspelling hard for beginners to read?",
                "What makes receptive fingerspelling so difficult when you're just learning to sign?"));
        assertEquals(0.0, feature("antonym", "Give me an easy practice problem on Newton's second law.",
                "I'd like a simple exercise about Newton's second law."));
    }

    @Test
    void antonym_newAndExistingOnTheSameNoun_fires_onTwoNouns_doesNot() {
        assertEquals(1.0, feature("antonym", "pytorch combine tensors along a new dimension",
                "pytorch concatenate tensors along an existing dimension"));
        assertEquals(1.0, feature("antonym", "sqlite import csv into existing table",
                "sqlite import csv and let it create a new table"));
        // an existing table, and a new column of it
        assertEquals(0.0, feature("antonym", "mysql add column to existing table",
                "How do I alter a MySQL table to include a new column?"));
        // both texts name both: the same choice, in another order
        assertEquals(0.0, feature("antonym", "Should I add the new column to the existing table or create a new table?",
                "Should I create a new table or add a new column to the existing table?"));
        // the noun after one more word (round AA), but not a "new" that a negation takes back
        assertEquals(1.0, feature("antonym", "cryptsetup: encrypt a new partition with LUKS",
                "cryptsetup: unlock an existing LUKS partition"));
        assertEquals(0.0, feature("antonym", "change passphrase of existing ssh key",
                "How do I update the password on my id_ed25519 private key without generating a new key?"));
    }

    @Test
    void constraintMismatch_aNamePutForAnother_isOne() {
        assertEquals(1.0, feature("constraint_mismatch", "Create an RSVP form for our wedding using Google Forms.",
                "Create an RSVP form for our wedding using Typeform."));
        assertEquals(0.0, feature("constraint_mismatch", "How do I open settings in VS Code?",
                "How do I open settings in Visual Studio Code?"));
    }

    @Test
    void antonym_aNegationPutIn_fires() {
        assertEquals(1.0, feature("antonym", "Excel: sum column C where column A is blank",
                "Excel: sum column C where column A is not blank"));
        assertEquals(1.0, feature("antonym", "Is it safe to give my dog cooked chicken bones?",
                "Is it safe to give my dog raw chicken bones?"));
    }

    @Test
    void antonym_inflectedAndPrefixedForms_fire() {
        assertEquals(1.0, feature("antonym", "Is the account locked?", "Is the account unlocked?"));
        assertEquals(1.0, feature("antonym", "Why did sales increase in March?", "Why did sales decrease in March?"));
        // inside a compound: "warm-water" / "cold-water"
        assertEquals(1.0, feature("antonym", "What's the cheapest reliable BCD for warm-water diving?",
                "What's the cheapest reliable BCD for cold-water diving?"));
        assertEquals(1.0, feature("antonym", "Should I buy Tesla stock now?", "Should I sell Tesla stock now?"));
        // round AF served the first pair's answer
        assertEquals(1.0, feature("antonym", "What are the property tax implications of owning a tiny house on your own land?",
                "What are the property tax implications of owning a tiny house on rented land?"));
        assertEquals(1.0, feature("antonym", "How much does it cost to rent a campervan in New Zealand?",
                "How much does it cost to buy a campervan in New Zealand?"));
        // what must be done against what is advised (round AJ served the pair)
        assertEquals(1.0, feature("antonym", "What vaccinations are required before travelling to Antarctica?",
                "What vaccinations are recommended before travelling to Antarctica?"));
        // each on its own against all at once (round AK served the pair)
        assertEquals(1.0, feature("antonym", "restic forget --keep-last 3 separately for each host",
                "restic forget --keep-last 3 across all hosts together"));
        // two pairs of opposites round BG served
        assertEquals(1.0, feature("antonym", "How should I treat coccidiosis in young pigeons?",
                "How should I prevent coccidiosis in young pigeons?"));
        assertEquals(1.0, feature("antonym", "What is the ideal loft ventilation for 40 racing pigeons in a humid climate?",
                "What is the ideal loft ventilation for 40 racing pigeons in a cold, dry climate?"));
        // round BP served this pair
        assertEquals(1.0, feature("antonym", "How much water does a mature grapevine need per week in July?",
                "How much water does a newly planted grapevine need per week in July?"));
        // round BO served this pair
        assertEquals(1.0, feature("antonym", "Which British counties had the most wheelwrights in the 1851 census?",
                "Which British counties had the fewest wheelwrights in the 1851 census?"));
        // round BK served this pair
        assertEquals(1.0, feature("antonym", "How do I preserve a shed snake skin so it stays flexible?",
                "How do I preserve a shed snake skin so it stays rigid?"));
        // round BD served this pair
        assertEquals(1.0, feature("antonym", "What happens at passport control when leaving Georgia for Turkey at the Sarpi border crossing?",
                "What happens at passport control when entering Georgia from Turkey at the Sarpi border crossing?"));
        // two pairs of opposites round BB served
        assertEquals(1.0, feature("antonym", "Write a short Facebook post asking people to donate books to our charity shop.",
                "Write a short Facebook post asking people to buy books from our charity shop."));
        assertEquals(1.0, feature("antonym", "How do I count unique visitors per day approximately in Valkey?",
                "How do I count unique visitors per day exactly in Valkey?"));
        // round AX served this pair
        assertEquals(1.0, feature("antonym", "How much beeswax should I add to 60 ml of olive oil for a firm lip balm?",
                "How much beeswax should I add to 60 ml of olive oil for a soft lip balm?"));
        // two pairs of opposites round AW served
        assertEquals(1.0, feature("antonym", "What are the right-of-way rules when two land yachts meet on opposite tacks?",
                "What are the right-of-way rules when two land yachts meet on the same tack?"));
        assertEquals(1.0, feature("antonym", "How do I write a custom Backstage scaffolder action using the new backend system?",
                "How do I write a custom Backstage scaffolder action using the legacy backend system?"));
        // round AV served this pair
        assertEquals(1.0, feature("antonym", "Do I need a licence to pilot a recreational hovercraft in the UK?",
                "Do I need a licence to pilot a commercial hovercraft in the UK?"));
        // round AU served this pair
        assertEquals(1.0, feature("antonym", "How do I inflate the balloon device in a running Firecracker microVM?",
                "How do I deflate the balloon device in a running Firecracker microVM?"));
        // two pairs of opposites round AT served
        assertEquals(1.0, feature("antonym", "How is the Swiss Naturjodel different from Austrian yodelling?",
                "How is the Swiss Naturjodel similar to Austrian yodelling?"));
        assertEquals(1.0, feature("antonym", "Why do some vocal coaches warn against false cord distortion?",
                "Why do some vocal coaches encourage false cord distortion?"));
        // three pairs of opposites round AR served
        assertEquals(1.0, feature("antonym", "Is raw linseed oil a safe finish for a wooden eating spoon?",
                "Is boiled linseed oil a safe finish for a wooden eating spoon?"));
        assertEquals(1.0, feature("antonym", "How do I store green wood so it stays wet for carving next month?",
                "How do I store green wood so it dries out for carving next month?"));
        assertEquals(1.0, feature("antonym", "Why does my hook knife leave chatter marks when I carve across the grain?",
                "Why does my hook knife leave chatter marks when I carve along the grain?"));
        // the first step against the final one (round AQ served the pair)
        assertEquals(1.0, feature("antonym", "What's the first step in restoring a moth-damaged fox mount?",
                "What's the final step in restoring a moth-damaged fox mount?"));
        // what is needed against what may be left out (round AP served the pair)
        assertEquals(1.0, feature("antonym", "Which tools are essential for a beginner starting macrame?",
                "Which tools are optional for a beginner starting macrame?"));
        // inside a compound: full-time / part-time (round AM served the pair)
        assertEquals(1.0, feature("antonym", "Write a job posting for a locksmith apprentice in Chicago, full-time, $18/hour.",
                "Write a job posting for a locksmith apprentice in Chicago, part-time, $18/hour."));
        // an adverb without -ly against one with it (round AG served the pair)
        assertEquals(1.0, feature("antonym", "Why is the soil in my bonsai pot drying out too fast?",
                "Why is the soil in my bonsai pot drying out too slowly?"));
        // but not any adjective against an adverb: one age said two ways
        assertEquals(0.0, feature("antonym", "What temperature should a brooder be for day-old chicks?",
                "What temperature should a brooder be for newly hatched chicks?"));
        assertEquals(1.0, feature("antonym", "What happened before the war?", "What happened after the war?"));
        assertEquals(1.0, feature("antonym", "write a cron expression that runs at 2am on weekdays",
                "write a cron expression that runs at 2am on weekends"));
        assertEquals(1.0, feature("antonym", "Should I use optimistic locking when write conflicts are very frequent?",
                "Should I use optimistic locking when write conflicts are rare?"));
        assertEquals(1.0, feature("antonym", "What are the benefits of taking melatonin for jet lag?",
                "What are the risks of taking melatonin for jet lag?"));
        assertEquals(1.0, feature("antonym", "Which common houseplants are safe for cats?",
                "Which common houseplants are toxic to cats?"));
        assertEquals(1.0, feature("antonym", "How should I approach the renewal negotiation? I'm the landlord.",
                "How should I approach the renewal negotiation? I'm the tenant."));
        assertEquals(1.0, feature("antonym", "How would a Fed rate increase affect my mortgage payments?",
                "How would a Fed rate cut affect my mortgage payments?"));
        assertEquals(1.0, feature("antonym", "Write an argument in favour of the death penalty for my debate class.",
                "Write an argument against the death penalty for my debate class."));
        // cost against speed
        assertEquals(1.0, feature("antonym", "What's the cheapest way to get from London to Edinburgh?",
                "What's the fastest way to get from London to Edinburgh?"));
        // the two halves of a thing a developer asks about, and two things of one kind in git
        assertEquals(1.0, feature("antonym", "How do I sort a Python dictionary by value?",
                "How do I sort a Python dictionary by key?"));
        assertEquals(1.0, feature("antonym", "How do I rename a git branch?", "How do I rename a git tag?"));
        assertEquals(1.0, feature("antonym", "How many points is the outer bull worth in darts?",
                "How many points is the inner bull worth in darts?"));
        // where data is kept, in what order tasks run, how often a job runs, how far a setting reaches
        assertEquals(1.0, feature("antonym", "How do I cache a tf.data dataset in memory?",
                "How do I cache a tf.data dataset to a file on disk?"));
        assertEquals(1.0, feature("antonym", "kotlin coroutines run tasks in parallel and wait for all",
                "kotlin coroutines run tasks sequentially one after another"));
        assertEquals(1.0, feature("antonym", "crontab entry to back up the database daily",
                "crontab entry to back up the database weekly"));
        assertEquals(1.0, feature("antonym", "git set user email global", "git set user email local for one repo"));
        // adverbs made of listed opposites
        assertEquals(1.0, feature("antonym", "How do I run the migrations sequentially?",
                "How do I run the migrations concurrently?"));
        assertEquals(1.0, feature("antonym", "What is the CSS to center a div horizontally?",
                "How do I center a div vertically with CSS?"));
        // both halves on both sides: the same question
        assertEquals(0.0, feature("antonym", "What is the difference between the stack and the heap?",
                "How do heap and stack memory differ?"));
    }

    @Test
    void antonym_withNoIsWithout_doesNotFire_butWithIsStillWithoutsOpposite() {
        assertEquals(0.0, feature("antonym", "Explain the Monty Hall problem without using any math.",
                "Explain the Monty Hall problem intuitively, with no math."));
        assertEquals(0.0, feature("antonym", "A cake recipe without sugar", "A cake recipe with zero sugar"));
        assertEquals(1.0, feature("antonym", "A cake recipe without sugar", "A cake recipe with sugar"));
        assertEquals(1.0, feature("antonym", "Pasta with no cheese but with garlic", "Pasta without garlic"),
                "a 'with' that is not 'with no' still stands against 'without'");
    }

    @Test
    void antonym_countsWords_soAWordInBothTextsStillHasItsOppositeSeen() {
        // "write" is in both texts, but the second has it once more, where the first has "read"
        assertEquals(1.0, feature("antonym", "Write a Python script that reads a CSV file.",
                "Write a Python script that writes a CSV file."));
        assertEquals(1.0, feature("antonym", "Describe a nurse's day in the morning shift.",
                "Describe a nurse's day in the night shift."));
    }

    @Test
    void antonym_negatedOpposite_saysTheSame() {
        assertEquals(0.0, feature("antonym", "Write a note to a student who failed their driving test.",
                "Write a note to a student who didn't pass their driving test."));
        assertEquals(1.0, feature("antonym", "Write a note to a student who failed their driving test.",
                "Write a note to a student who passed their driving test."));
        assertEquals(1.0, feature("antonym", "Why can't I enable 2FA?", "Why can't I disable 2FA?"),
                "both negated: still opposites");
    }

    @Test
    void antonym_bothWordsInBothTexts_doesNotFire() {
        assertEquals(0.0, feature("antonym", "Should I buy or sell now?", "Sell or buy now, which is better?"));
        assertEquals(0.0, feature("antonym", "How do I enable 2FA?", "How can I turn on two-factor authentication?"));
    }

    @Test
    void numberMismatch_differentYears_fires() {
        assertEquals(1.0, feature("number_mismatch", "What was the GDP of France in 2019?", "What was the GDP of France in 2020?"));
    }

    @Test
    void numberMismatch_sameNumberWrittenDifferently_doesNotFire() {
        assertEquals(0.0, feature("number_mismatch", "Give me three ideas for 1,000 dollars", "Give me 3 ideas for 1000 dollars"));
        assertEquals(0.0, feature("number_mismatch", "Which one is better?", "Which is better?"));
    }

    @Test
    void negationMismatch_notInOneOnly_fires() {
        assertEquals(1.0, feature("negation_mismatch", "Why is my laptop charging?", "Why isn't my laptop charging?"));
        assertEquals(1.0, feature("negation_mismatch", "Is coffee with sugar healthy?", "Is coffee without sugar healthy?"));
        assertEquals(0.0, feature("negation_mismatch", "Why is it not working?", "Why does it not work?"));
    }

    @Test
    void swap_sameWordsOtherOrder_firesOnlyForTheSwap() {
        String a = "The cat chased the dog around the garden";
        String swapped = "The dog chased the cat around the garden";
        assertEquals(1.0, feature("token_jaccard", a, swapped));
        // cat, chased, dog, around, garden occur once in each; 3 of their 10 pairs change order.
        assertEquals(0.3, feature("order_disagreement", a, swapped), 1e-12);
        assertEquals(0.3, feature("swap", a, swapped), 1e-12);
        assertEquals(1.0, feature("displaced", a, swapped), "cat and dog moved");
        assertEquals(7.0 / 11, feature("bigram_jaccard", a, swapped), 1e-12);
        assertEquals(0.0, feature("swap", a, a));
        assertEquals(0.0, feature("displaced", a, a));
        assertEquals(1.0, feature("bigram_jaccard", a, a));
    }

    @Test
    void orderDisagreement_fullReversal_isOne() {
        assertEquals(1.0, Features.orderDisagreement(List.of("a", "b", "c", "d"), List.of("d", "c", "b", "a")));
        assertEquals(0.0, Features.orderDisagreement(List.of("a", "b"), List.of("b", "a")), "too few shared words");
    }

    @Test
    void entityMismatch_countsTextsHoldingANameTheOtherLacks() {
        assertEquals(1.0, feature("entity_mismatch", "Flights from Paris to Rome", "Flights from Berlin to Madrid"));
        assertEquals(1.0, feature("entity_mismatch", "Flights from Paris to Rome", "Flights from Paris to Madrid"));
        assertEquals(0.0, feature("entity_mismatch", "Flights from Paris to Rome", "flights from paris to rome"));
        assertEquals(0.5, feature("entity_mismatch", "Flights from Paris to Rome", "Flights to Rome from Paris on Lufthansa"));
    }

    @Test
    void displaced_twoSwappedNamesInALongSentence_countsTwo() {
        List<String> a = TextFeatures.of("Yesterday the team from Paris beat the team from Rome by two goals").tokens;
        List<String> b = TextFeatures.of("Yesterday the team from Rome beat the team from Paris by two goals").tokens;
        assertEquals(2, Features.displaced(a, b));
        assertEquals(0, Features.displaced(a, a));
    }

    @Test
    void tokens_keepContractionsDecimalsAndSentenceStarts() {
        TextFeatures t = TextFeatures.of("Don't round 3.50 or 1,000. Call AWS in Paris.");
        assertEquals(List.of("don't", "round", "3.50", "or", "1,000", "call", "aws", "in", "paris"), t.tokens);
        assertEquals(Set.of("3.5", "1000"), t.numbers);
        assertEquals(Set.of("aws", "paris"), t.entities, "sentence-initial capitals are not names");
        assertEquals(1, t.negations);
    }

    @Test
    void lengthRatio_andJaccard_onHandMadePair() {
        assertEquals(0.5, feature("length_ratio", "a b c d", "a b"));
        assertEquals(0.5, feature("token_jaccard", "a b c d", "a b"));
        assertEquals(0.9, feature("cosine", "x", "x"));
    }
}
