package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestShapeTest {

    private static double count(String a, String b) {
        return Symmetric.flag(RequestShape::countMismatch, a, b);
    }

    private static double swap(String a, String b) {
        return Symmetric.flag(RequestShape::comparisonSwap, a, b);
    }

    @Test
    void countMismatch_anotherCountOrACountOnOneSide_isOne() {
        assertEquals(1.0, count("Give me 3 tips for sleeping better.", "Give me 10 tips for sleeping better."));
        assertEquals(1.0, count("In one sentence, explain inflation.", "Using three sentences, explain inflation."));
        assertEquals(1.0, count("Describe Rome in about 50 words.", "Describe Rome."));
        assertEquals(1.0, count("Recommend five good history podcasts.", "Recommend two history podcasts."));
    }

    @Test
    void countMismatch_anyWordCountedOtherwise_orAnotherAge_isOne() {
        // "houseplant" is no listed counted noun, but both texts count it
        assertEquals(1.0, count("Suggest 3 houseplants that survive in low light.",
                "Suggest 8 houseplants that survive in low light."));
        assertEquals(1.0, count("Explain gravity to a 7-year-old.", "Explain gravity to a 12 year old."));
    }

    @Test
    void countMismatch_anotherAmountOfMoney_orASingleAgainstSeveral_isOne() {
        assertEquals(1.0, count("Do I need to file an FBAR if my foreign accounts total $8,000?",
                "Do I need to file an FBAR if my foreign accounts total $80,000?"));
        assertEquals(1.0, count("Is 50 dollars enough for a day in Lisbon?", "Is $80 enough for a day in Lisbon?"));
        assertEquals(1.0, count("Recommend four classic Batman comics for a new reader.",
                "Recommend a single classic Batman comic for a new reader."));
    }

    @Test
    void countMismatch_anotherYearOrDecade_isOne_theSameOrOneSided_isZero() {
        assertEquals(1.0, count("What was life like in the 1920s?", "What was life like in the 1950s?"));
        assertEquals(1.0, count("What were the best films of 2016?", "What were the best films of 2017?"));
        assertEquals(0.0, count("What were the best films of 2016?", "Which 2016 films were the best?"));
        assertEquals(0.0, count("What were the best films of 2016?", "What were the best films last year?"));
    }

    @Test
    void countMismatch_theSameAmountWrittenOtherwise_isZero() {
        assertEquals(0.0, count("Is $50k a good salary in Austin?", "Is 50,000 dollars a good salary in Austin?"));
        assertEquals(0.0, count("Shares closed down eight cents to $29.42.", "Shares closed down 8 cents at $29.42 on Thursday."));
        assertEquals(0.0, count("Must I file a return if I earned $8,000 last year?", "If I made eight thousand dollars last year, must I file a return?"));
        assertEquals(0.0, count("How can I make $100 a day?", "How can I make 100 dollars a day online in 2 weeks?"));
        assertEquals(0.0, count("What is the single most important habit?", "What is the most important habit?"));
        assertEquals(0.0, count("Why do I wake up at 3 am every night?", "Why do I wake up around three in the morning every single night?"));
    }

    @Test
    void countMismatch_sameNumberFartherFromItsNoun_sameCountsOrARank_isZero() {
        assertEquals(0.0, count("Write 2 multiple-choice quiz questions about the human skeleton.",
                "Create two multiple choice questions for a quiz on the human skeleton."));
        assertEquals(0.0, count("With 3 years of experience at 25 years old, which job should I take?",
                "I'm 25 years old with 3 years of experience; which job should I take?"), "the same counts of one word");
        // a rank counts nothing ("2nd graders the way …")
        assertEquals(0.0, count("Describe how coral reefs form for second graders.",
                "How would you explain to 2nd graders the way coral reefs form?"));
    }

    @Test
    void countMismatch_sameCountOrNoCount_isZero() {
        assertEquals(0.0, count("Give me three tips for sleeping better.", "What are 3 tips for better sleep?"));
        assertEquals(0.0, count("Recommend 5 podcasts about history.", "What are 5 good history podcasts?"));
        // a year is not a count, and "a way" counts nothing
        assertEquals(0.0, count("What are the best movies of 2016?", "Which 2016 movies are the best?"));
        assertEquals(0.0, count("What is a way to learn French fast?", "What is the best way to learn French fast?"));
        assertEquals(0.0, count("How do I lose 10 kg in 30 days?", "How can I lose 10 kg in a month?"));
    }

    @Test
    void comparisonSwap_sidesOfAComparisonOrConversionReversed_isOne() {
        assertEquals(1.0, swap("What makes hardwood floors better than carpet?",
                "What makes carpet better than hardwood floors?"));
        assertEquals(1.0, swap("Why might someone prefer debit cards to credit cards?",
                "Why might someone prefer credit cards to debit cards?"));
        assertEquals(1.0, swap("How do I convert a PDF to Word?", "How do I convert a Word file to PDF?"));
        assertEquals(1.0, swap("Why choose Postgres over MySQL?", "Why choose MySQL over Postgres?"));
        assertEquals(1.0, swap("Write a SQL query to count orders per customer.",
                "Write a SQL query to count customers per order."));
        assertEquals(1.0, swap("Rewrite this Terraform config as a CloudFormation template.",
                "Rewrite this CloudFormation template as a Terraform config."));
    }

    @Test
    void comparisonSwap_anAsThatCompares_isNoDirection() {
        assertEquals(0.0, swap("Is a crocodile the same as an alligator?", "Is an alligator the same as a crocodile?"));
        assertEquals(0.0, swap("Which skills, such as SQL or Python, matter most?", "Which skills, such as Python or SQL, matter most?"));
    }

    @Test
    void comparisonSwap_symmetricRelationsRewordingsAndSameOrder_isZero() {
        assertEquals(0.0, swap("What is the difference between a virus and a bacterium?",
                "What is the difference between a bacterium and a virus?"));
        assertEquals(0.0, swap("How do I switch from Android to iPhone?", "How do I switch to iPhone from Android?"));
        assertEquals(0.0, swap("Is tea healthier than coffee?", "Is tea better for your health than coffee?"));
        assertEquals(0.0, swap("Convert 100 miles to kilometers.", "Please convert 100 miles into kilometers."));
    }
}
