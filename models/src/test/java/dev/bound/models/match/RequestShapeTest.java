package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiPredicate;
import java.util.function.ToDoubleBiFunction;

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
        // past a measure of the counted thing
        assertEquals(1.0, count("How much does it cost to ship one 40-foot container from Shanghai to Rotterdam?",
                "How much does it cost to ship four 40-foot containers from Shanghai to Rotterdam?"));
        // but a score is no measure
        assertEquals(0.0, count("Bjorkman and Santoro won 6-2, 6-4 against Damm and Stepanek.",
                "Bjorkman and Santoro won in the final 6 - 2 , 6 - 4 , against Damm and Stepanek."));
    }

    @Test
    void countMismatch_oneCountedAgainstOneInWords_isZero() {
        assertEquals(0.0, count("Define credit score in a single sentence.", "Give me a 1-sentence definition of a credit score."));
        assertEquals(0.0, count("What are the best one-minute life hacks?", "What are the best 1 minute life hacks?"));
        assertEquals(1.0, count("Explain inflation in 1 sentence.", "Explain one cause of inflation in 3 sentences."));
        assertEquals(1.0, count("Define credit score in 1 sentence.", "Define credit score."));
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
    void operationSwapped_anOperationOfAnotherKind_isTrue_oneOfTheSameKind_isFalse() {
        BiPredicate<String, String> swapped = (a, b) -> RequestShape.operationSwapped(TextFeatures.of(a),
                TextFeatures.of(b));
        assertTrue(swapped.test("redis set expiry on existing key", "redis get expiry of existing key"));
        assertTrue(swapped.test("How do I read an environment variable in Rust?",
                "How do I set an environment variable in Rust?"));
        assertTrue(swapped.test("How do I list all keys in Redis?", "How do I delete all keys in Redis?"));
        assertTrue(swapped.test("conda create environment from yml file", "conda export environment to yml file"));
        assertTrue(swapped.test("How do I stop a systemd service?", "How do I disable a systemd service?"));
        assertTrue(swapped.test("How do I start a systemd service?", "How do I enable a systemd service?"));
        assertTrue(swapped.test("How do I view the logs of a container?", "How do I follow the logs of a container?"));
        // how many there are against which they are
        assertTrue(swapped.test("How do I list all files in a directory recursively in Linux?",
                "How do I count all files in a directory recursively in Linux?"));
        assertTrue(swapped.test("Write a SQL query listing tenants whose lease expires in the next 30 days.",
                "Write a SQL query counting tenants whose lease expires in the next 30 days."));
        // the same kind, or a word of two kinds
        assertFalse(swapped.test("How do I delete a branch in git?", "How do I remove a branch in git?"));
        assertFalse(swapped.test("How do I skip tests in Maven?", "How do I ignore tests in Maven?"));
        assertFalse(swapped.test("What is the best way to open a .doc file?",
                "What is the best way to read a .doc file?"));
        assertFalse(swapped.test("How do I generate calls for tech support?",
                "How do I get calls for my tech support?"));
        // a word no kind lists, or more than one word changed
        assertFalse(swapped.test("How do I reset my Gmail password?", "How do I recover my Gmail password?"));
        assertFalse(swapped.test("How do I set a cron job?", "How can I get a cron job running?"));
    }

    @Test
    void countMismatch_aPartOfWhatTheOtherTakesWhole_isOne() {
        assertEquals(1.0, count("django rollback last migration", "django rollback all migrations for an app"));
        assertEquals(1.0, count("make part of a Text bold in jetpack compose", "make the whole Text bold in jetpack compose"));
        assertEquals(1.0, count("How do I run only one specific test function with go test?",
                "How do I run all the tests in every subpackage with go test?"));
        assertEquals(1.0, count("How do I delete a single row in SQLite?", "How do I delete all rows in SQLite?"));
        assertEquals(1.0, count("In Vim, how do I delete the current line?", "In Vim, how do I delete all lines in the file?"));
        // a part after "except" belongs to the whole
        assertEquals(1.0, count("terraform destroy single resource", "terraform destroy all except one resource"));
        // the newest of something is a part, unless it is where the whole is taken
        assertEquals(1.0, count("How do I export my most recent run from Strava as a GPX file?",
                "How do I export all of my runs from Strava as GPX files?"));
        assertEquals(1.0, count("Schema Registry get latest schema version for subject",
                "Schema Registry get all versions for subject"));
        assertEquals(1.0, count("npm update all packages to latest", "npm update a single package to its latest version"));
        assertEquals(0.0, count("flutter pub upgrade to latest major versions ignoring constraints",
                "Is there a command that bumps all the version constraints in pubspec.yaml to the newest major versions?"));
    }

    @Test
    void countMismatch_aPartPutForAWholeOfAnotherName_isOne_butNotInOtherWording() {
        assertEquals(1.0, count("In Vim, how do I replace a word in the whole file?",
                "In Vim, how do I replace a word in the current line only?"));
        assertEquals(1.0, count("How do I disable an ESLint rule for an entire file?",
                "How do I disable an ESLint rule for a single line?"));
        // a stage of a process for the whole of it (round AO served the pair)
        assertEquals(1.0, count("Outline the whole process of becoming a trainee ringer with the BTO.",
                "Outline the first stage of becoming a trainee ringer with the BTO."));
        // a whole for a whole
        assertEquals(0.0, count("In Vim, how do I replace a word in the whole file?",
                "In Vim, how do I replace a word in the entire buffer?"));
        // a span that says both is left to the checks above: here all but one, said two ways
        assertEquals(0.0, count("In pandas, how do I drop all columns except one?",
                "In pandas, how do I drop every column but a single one?"));
        // too little wording in common
        assertEquals(0.0, count("How do I delete the whole directory?",
                "What's the command to remove only one file from a folder in Linux?"));
    }

    @Test
    void countMismatch_oneThingAgainstManyOfItsKind_isOne() {
        assertEquals(1.0, count("How do I stop a Docker container?", "How do I stop all Docker containers?"));
        assertEquals(1.0, count("In MongoDB, how do I update one document?", "In MongoDB, how do I update many documents?"));
        assertEquals(1.0, count("How do I delete an S3 bucket with the AWS CLI?",
                "How do I delete all of the S3 buckets with the AWS CLI?"));
        assertEquals(1.0, count("How do I update all dependencies in a Go module?",
                "How do I update a single dependency in a Go module?"));
        assertEquals(1.0, count("How do I stop one of the containers in a compose project?",
                "How do I stop all containers in a compose project?"));
        assertEquals(1.0, count("Go: how do I wait for all goroutines to finish?",
                "Go: how do I wait for the first goroutine to finish?"));
    }

    @Test
    void inclusionTurned_whatOneTakesInTheOtherLeavesOut() {
        ToDoubleBiFunction<TextFeatures, TextFeatures> turned = (a, b) -> RequestShape.inclusionTurned(a, b) ? 1 : 0;
        assertEquals(1.0, Symmetric.flag(turned, "Help me plan a seating arrangement for 40 wedding guests, including the kids.",
                "Help me plan a seating arrangement for 40 wedding guests, not counting the kids."));
        assertEquals(1.0, Symmetric.flag(turned, "How long should a wedding speech be, counting time for laughter?",
                "How long should a wedding speech be, not counting time for laughter?"));
        assertEquals(1.0, Symmetric.flag(turned, "Which income sources in retirement are taxable, other than Social Security?",
                "Which income sources in retirement are taxable, including Social Security?"));
        // counting as an operation takes nothing in, and the same thing left out on both sides is one request
        assertEquals(0.0, Symmetric.flag(turned, "Write a SQL query counting tenants per building.",
                "Write a SQL query for tenants per building, excluding tenants who moved out."));
        assertEquals(0.0, Symmetric.flag(turned, "Plan a budget for 40 guests, not counting the kids.",
                "Plan a budget for 40 guests, excluding the kids."));
        // a thing kept beside another against one put in its place (round Y)
        assertEquals(1.0, Symmetric.flag(turned, "How do I make pip use only my private package index instead of PyPI?",
                "How do I make pip use my private package index in addition to PyPI?"));
        assertEquals(1.0, Symmetric.flag(turned, "python logging write to a file as well as the console",
                "python logging write to a file rather than the console"));
        // "apart from" may say "in addition to", and a thing put in place on both sides is one request
        assertEquals(0.0, Symmetric.flag(turned, "In addition to metrics, what tools evaluate models?",
                "Apart from metrics, what tools evaluate models?"));
        assertEquals(0.0, Symmetric.flag(turned, "Can I use honey instead of sugar in bread?",
                "Can I bake bread with honey in place of sugar?"));
    }

    @Test
    void countMismatch_aThingTakenTwiceOrHalf_isOne() {
        assertEquals(1.0, count("How much caffeine is in one shot of espresso?",
                "How much caffeine is in a double shot of espresso?"));
        assertEquals(1.0, count("What are the rules of trap shooting?", "What are the rules of double trap shooting?"));
        assertEquals(1.0, count("Give me a training plan for a half marathon.", "Give me a training plan for a marathon."));
        // checking twice is checking, and a multiplier amid other changed words is left to other checks
        assertEquals(0.0, count("Please double-check my essay for typos.", "Please check my essay for typos."));
        assertEquals(0.0, count("Why does my React component render twice in development?",
                "React 18 StrictMode double rendering in dev mode - why does it happen?"));
    }

    @Test
    void countMismatch_boundedCountsOfOneThing_differ() {
        assertEquals(1.0, count("What are my odds of drawing at least one ace in a 5-card hand from a standard deck?",
                "What are my odds of drawing at least two aces in a 5-card hand from a standard deck?"));
        // "at least one" asks only that there be any, so a count with no bound is left alone
        assertEquals(0.0, count("Recommend at least one tool for the job.", "Recommend a tool for the job."));
    }

    @Test
    void countMismatch_allOfAThingNamedAfterSeveralWords_isMany() {
        assertEquals(1.0, count("What are the due dates for all the quarterly estimated tax payments in 2024?",
                "What's the due date for the first quarterly estimated tax payment in 2024?"));
    }

    @Test
    void countMismatch_onePeriodOnAnotherSideOfNow_isOne() {
        assertEquals(1.0, count("What new anime are airing this season?", "What new anime aired last season?"));
        assertEquals(1.0, count("Plan my meals for this week.", "Plan my meals for next week."));
        // a period named by its owner's "'s" (round AY)
        assertEquals(1.0, count("What was this season's best anime?", "What was last season's best anime?"));
        // a window that ends now may be this week, and a year named on both sides pins the period
        assertEquals(0.0, count("What were the top news stories this week?", "What were the top news stories in the last week?"));
        assertEquals(0.0, count("Who will win the Premier League this season 2016-2017?",
                "Who can win the Premier League next season 2016-2017?"));
    }

    @Test
    void countMismatch_oneAgainstAllOfThese_isOne() {
        assertEquals(1.0, count("mongo find documents where array field contains a value",
                "mongo find documents where array field contains all of these values"));
    }

    @Test
    void countMismatch_oneNamedByItsLabelAgainstAll_isOne() {
        assertEquals(1.0, count("What is the evacuation route for zone A in Miami-Dade?",
                "What are the evacuation routes for all zones in Miami-Dade?"));
        assertEquals(1.0, count("Summarize chapter 3 of the report.", "Summarize all chapters of the report."));
        // the same label on both sides is one thing
        assertEquals(0.0, count("What is the evacuation route for zone A in Miami-Dade?",
                "What's the evacuation route for zone A in Miami-Dade?"));
    }

    @Test
    void countMismatch_oneInGeneral_orManyCounted_orAnotherThing_isZero() {
        // a generic "an", or a whole taken in the singular, ask the same
        assertEquals(0.0, count("What are some tips and tricks every Android user must know?",
                "What are some tips and tricks an Android user should know?"));
        assertEquals(0.0, count("What happens when we do not sleep the whole night?",
                "What happens if you don't sleep for a night?"));
        assertEquals(0.0, count("Can I leave my laptop charging all night?",
                "Can I leave my laptop charging for a night?"));
        assertEquals(0.0, count("Who would win an all out war between Pakistan and India?",
                "Who will win in a war between India and Pakistan?"));
        // "how many" and "so many" ask a number, not for many things
        assertEquals(0.0, count("How many supercomputers are there in IIT Kharagpur?",
                "Is there a supercomputer in IIT Kharagpur?"));
        assertEquals(0.0, count("How does a person get so many upvotes on Quora?",
                "How does someone get a lot of upvotes on Quora?"));
        // all but one, said two ways
        assertEquals(0.0, count("How do I make .gitignore ignore all .log files except one?",
                "gitignore negation pattern to keep one log file while ignoring the rest of *.log"));
        // the other text asks for one and for all
        assertEquals(0.0, count("How do I stop a container?", "How do I stop a container, or all containers at once?"));
        // "first" with nothing after it takes nothing
        assertEquals(0.0, count("Which git commands should I learn first?", "What are all the git commands I should learn?"));
        // each text takes many countries
        assertEquals(0.0, count("Why did the Spanish American colonies split into many countries while the Portuguese "
                + "colonies stayed united under a single country?",
                "Why wasn't Portuguese America split up into many countries like Spanish America?"));
        // the thing taken is the last word of its phrase: here an architecture, against regions
        assertEquals(0.0, count("How do I set up a multi-region active-active architecture on AWS?",
                "Walk me through designing an active-active setup spanning several AWS regions."));
    }

    @Test
    void countMismatch_onceInAnotherNumberOfUnits_isOne_theSameSpanOtherwise_isZero() {
        assertEquals(1.0, count("How do I write a cron expression that runs a job every 5 minutes?",
                "How do I write a cron expression that runs a job at 5 minutes past every hour?"));
        assertEquals(1.0, count("Why does my backup run every 2 hours?", "Why does my backup run every 6 hours?"));
        assertEquals(0.0, count("Run the job every 2 hours.", "Run the job every 120 minutes."));
        assertEquals(0.0, count("How do I run a cron job every 5 minutes?", "cron schedule for every 5 minutes"));
    }

    @Test
    void countMismatch_anotherRateNamedByOneWord_isOne_theSameRateSaidOtherwise_isZero() {
        assertEquals(1.0, count("What is $5,000 worth after 10 years at 4% interest compounded monthly?",
                "What is $5,000 worth after 10 years at 4% interest compounded annually?"));
        assertEquals(1.0, count("date_histogram with monthly buckets", "date_histogram with hourly buckets"));
        assertEquals(1.0, count("laravel schedule a command every five minutes", "laravel schedule a command daily at 2am"));
        // the same rate on both sides, the other one not the same
        assertEquals(1.0, count("What daily calorie deficit do I need to lose 1 kg per week?",
                "What daily calorie deficit do I need to lose 1 kg per month?"));
        // one word for "per year", "every Monday" for "weekly"
        assertEquals(0.0, count("Calculate how many 400 W panels I need to produce 8,000 kWh a year.",
                "How many 400-watt panels would generate 8000 kWh annually?"));
        assertEquals(0.0, count("crontab syntax to run a script at 3am every Monday",
                "What cron expression runs a job weekly, on Mondays, at 03:00?"));
        assertEquals(1.0, count("crontab run a script every Monday", "crontab run a script every Tuesday"));
    }

    @Test
    void stepsReordered_theSameTwoStepsTheOtherWayRound_isTrue() {
        BiPredicate<String, String> reordered = (a, b) -> RequestShape.stepsReordered(TextFeatures.of(a),
                TextFeatures.of(b));
        assertTrue(reordered.test("Add 5 to 12 and then multiply by 3.", "Multiply 12 by 3 and then add 5."));
        assertTrue(reordered.test("First whisk the eggs, then fold in the flour.",
                "Fold in the flour, then whisk the eggs."));
        assertTrue(reordered.test("Explain the water cycle first, then give me a 5-question quiz on it.",
                "Give me a 5-question quiz on the water cycle first, then explain it."));
        // past the words both texts open with
        assertTrue(reordered.test("Give me the steps to back up my phone and then update its software.",
                "Give me the steps to update my phone's software and then back it up."));
        // the same order in other words, another second step, or one step
        assertFalse(reordered.test("Add 5 to 12 and then multiply by 3.", "Add 5 to 12, then multiply the sum by 3."));
        assertFalse(reordered.test("Add 5 to 12 and then multiply by 3.", "Add 5 to 12 and then divide by 3."));
        assertFalse(reordered.test("Add 5 to 12.", "Multiply 12 by 3 and then add 5."));
        // a question's steps, past "How do I"
        assertTrue(reordered.test("How do I rebase and then push?", "How do I push and then rebase?"));
        assertFalse(reordered.test("How do I rebase and then push?", "How do I rebase and then force push?"));
    }

    @Test
    void countMismatch_aRateAgainstOnce_isOne_onceOnBothSides_isZero() {
        assertEquals(1.0, count("How do I run a function once after 5 seconds in Go?",
                "How do I run a function every 5 seconds in Go?"));
        assertEquals(1.0, count("schedule a celery task to run once", "schedule a celery task to run every day"));
        // "once a week" is a rate itself, and both say it
        assertEquals(0.0, count("Is it fine to water a cactus once a week?", "Should I water my cactus once every week?"));
        // "once" with no rate on the other side either
        assertEquals(0.0, count("How do I run an Ansible task only once?", "run ansible task a single time"));
    }

    @Test
    void countMismatch_quantifiersOfOtherThings_orOfBothKinds_orNoPart_isZero() {
        // what each quantifies differs
        assertEquals(0.0, count("Summarize the AWS Well-Architected pillars in one sentence each.",
                "Give a single-sentence summary for every pillar of the AWS Well-Architected Framework."));
        // one side holds both kinds
        assertEquals(0.0, count("How do I freeze all layers except the last one in a ResNet?",
                "resnet: keep only the final layer trainable and freeze the rest, how?"));
        assertEquals(0.0, count("How do I make an Ansible task run only once?",
                "How can I run an Ansible task a single time instead of on every host?"));
        // "not just" adds, and "one" after "can" is a person
        assertEquals(0.0, count("I need to let a MySQL user connect from any host, not just localhost.",
                "How can I allow remote connections for a mysql user from every host?"));
        assertEquals(0.0, count("How can one forget the past?", "How we can forget everything about the past?"));
        // a whole with no part on the other side is no scope asked otherwise
        assertEquals(0.0, count("postgres list all databases", "show databases in postgresql psql"));
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

    private static double exchanged(String a, String b) {
        return Symmetric.flag(RequestShape::spansExchanged, a, b);
    }

    @Test
    void spansExchanged_twoThingsTradingPlaces_isOne() {
        // a doer read as what they do
        assertEquals(1.0, exchanged("What should a skier know before trying snowboarding?",
                "What should a snowboarder know before trying skiing?"));
        assertEquals(1.0, exchanged(
                "I have a glaze recipe formulated for cone 10 reduction. How do I adapt it to fire at cone 6 oxidation?",
                "I have a glaze recipe formulated for cone 6 oxidation. How do I adapt it to fire at cone 10 reduction?"));
        // spans of different lengths
        assertEquals(1.0, exchanged("How much instant yeast should I use in place of 2 teaspoons of active dry yeast?",
                "How much active dry yeast should I use in place of 2 teaspoons of instant yeast?"));
        // "US" is a name, though "us" is a stopword
        assertEquals(1.0, exchanged("I wear a US men's size 9 shoe; what's that in UK sizing?",
                "I wear a UK men's size 9 shoe; what's that in US sizing?"));
        // the articles and possessives around the two change with them
        assertEquals(1.0, exchanged("What should a client say when firing their compliance consultant?",
                "What should a compliance consultant say when firing a client?"));
        assertEquals(1.0, exchanged("What are the tax consequences when a parent sells a house to their adult child?",
                "What are the tax consequences when an adult child sells a house to their parent?"));
        // and the nouns change number with their places
        assertEquals(1.0, exchanged("how many liters in a cup", "how many cups in a liter"));
        // "to" and "into" join the two sides alike
        assertEquals(1.0, exchanged("How do I convert a React class component to a function component with hooks?",
                "How do I convert a React function component with hooks into a class component?"));
        // an owner and the thing owned
        assertEquals(1.0, exchanged("How does the Moon's gravity affect Earth?", "How does Earth's gravity affect the Moon?"));
        // a people and another's country
        assertEquals(1.0, exchanged("What culture shocks do Americans experience when they move to Germany?",
                "What culture shocks do Germans experience when they move to America?"));
        // a name that opens a text is still that name; names alike in their first letters stay apart
        assertEquals(1.0, exchanged("Zingone played football club for Lito.", "Lito played football club for Zingone."));
        assertEquals(1.0, exchanged("The river Neajlovel is a tributary of the River Neajlov in Romania.",
                "The river Neajlov is a tributary of the River Neajlovel in Romania."));
        // a player and the thing played
        assertEquals(1.0, exchanged("I'm a guitarist switching to bass. What habits do I need to unlearn?",
                "I'm a bassist switching to guitar. What habits do I need to unlearn?"));
        // an owner and what is owned
        assertEquals(1.0, exchanged("What do I call my grandfather's cousin?", "What do I call my cousin's grandfather?"));
        // a conversion asked as "the same … as", with many words between the two
        assertEquals(1.0, exchanged("What focal length on a full-frame camera gives the same view as 400mm on APS-C?",
                "What focal length on an APS-C camera gives the same view as 400mm on full-frame?"));
        // two words of one stem
        assertEquals(1.0, exchanged("Why are developed countries asking developing countries to do more on climate?",
                "Why are developing countries asking developed countries to do more on climate?"));
        // the helping verbs agree with whichever subject moved before them
        assertEquals(1.0, exchanged("Compare crowdfunding and grants: what does crowdfunding offer that grants don't?",
                "Compare crowdfunding and grants: what do grants offer that crowdfunding doesn't?"));
        // an unordered sentence before an ordered question
        assertEquals(1.0, exchanged("Compare Ancestry and FamilySearch: what does Ancestry have that FamilySearch lacks?",
                "Compare Ancestry and FamilySearch: what does FamilySearch have that Ancestry lacks?"));
    }

    @Test
    void spansExchanged_spansThatShareTheirEdgeWords_isOne() {
        assertEquals(1.0, Symmetric.flag(RequestShape::spansExchanged,
                "How do I redirect the www version of my site to the non-www version?",
                "How do I redirect the non-www version of my site to the www version?"));
        assertEquals(1.0, Symmetric.flag(RequestShape::spansExchanged,
                "Write an .htaccess 301 redirect from /old-blog to /blog.",
                "Write an .htaccess 301 redirect from /blog to /old-blog."));
        assertEquals(1.0, Symmetric.flag(RequestShape::spansExchanged,
                "Set up a one-sided test of whether the mean of group B is greater than the mean of group A.",
                "Set up a one-sided test of whether the mean of group A is greater than the mean of group B."));
        // the same two named in another order still ask the same
        assertEquals(0.0, Symmetric.flag(RequestShape::spansExchanged,
                "What is the difference between the www version and the non-www version of a site?",
                "What is the difference between the non-www version and the www version of a site?"));
    }

    @Test
    void spansExchanged_aroundAndOrOrAfterCompareOrHowFar_isZero() {
        assertEquals(0.0, exchanged("Which is better, Python or Java?", "Which is better, Java or Python?"));
        assertEquals(0.0, exchanged("Should I adopt cats and dogs together?", "Should I adopt dogs and cats together?"));
        assertEquals(0.0, exchanged("Compare Postgres with MySQL for analytics.", "Compare MySQL with Postgres for analytics."));
        assertEquals(0.0, exchanged("How far is Paris from London by train?", "How far is London from Paris by train?"));
        assertEquals(0.0, exchanged("Is Java the same as JavaScript?", "Is JavaScript the same as Java?"));
        // clauses moved about, as in reported speech
        assertEquals(0.0, exchanged("\"The volume is likely to fall sharply,\" said Junya Tanase, forex strategist at JP Morgan.",
                "Junya Tanase, forex strategist at JP Morgan, said \"The volume is likely to fall sharply.\""));
        assertEquals(0.0, exchanged("I want you to weigh hardwood floors against carpet.",
                "I want you to weigh carpet against hardwood floors."));
        // only stopwords trade places
        assertEquals(0.0, exchanged("Can you tell me what to do?", "Can me tell you what to do?"));
        assertEquals(0.0, exchanged("Convert 30 Celsius to Fahrenheit", "Convert 30 Celsius to Fahrenheit"));
        // two owners listed, not one owning the other
        assertEquals(0.0, exchanged("Is my cat's or my dog's food healthier?", "Is my dog's or my cat's food healthier?"));
        // names exchanged in a sentence that compares, whatever comes after
        assertEquals(0.0, exchanged("Compare Ancestry with FamilySearch. Keep it short.",
                "Compare FamilySearch with Ancestry. Keep it short."));
    }

    private static boolean appended(String a, String b) {
        return RequestShape.requirementAppended(TextFeatures.of(a), TextFeatures.of(b));
    }

    @Test
    void requirementAppended_theSameRequestWithAClauseOrSentenceMore_isTrue() {
        assertEquals(true, appended("Plan a backyard coop for six hens.", "Plan a backyard coop for six hens, and estimate the cost."));
        assertEquals(true, appended("Draft an onboarding checklist for a new remote bookkeeper, including a section on handling "
                + "client data securely.", "Draft an onboarding checklist for a new remote bookkeeper."));
        assertEquals(true, appended("Explain how to true a bicycle wheel at home.",
                "Explain how to true a bicycle wheel at home, assuming I don't own a truing stand."));
        assertEquals(true, appended("Explain how to refinance my mortgage.",
                "Explain how to refinance my mortgage. Include a break-even calculation."));
        // "that", "with", "using" and the like open one without a comma
        assertEquals(true, appended("Write a 30-minute phonics lesson plan for kindergarteners.",
                "Write a 30-minute phonics lesson plan for kindergarteners that ends with a take-home activity."));
        // the clause ends with its sentence
        assertEquals(true, appended("Plan a backyard coop for six hens. Thanks in advance!",
                "Plan a backyard coop for six hens, and estimate the cost. Thanks in advance!"));
        // "then" after a comma opens one
        assertEquals(true, appended("Fix the bug in this function: def avg(xs): return sum(xs) / len(xs)",
                "Fix the bug in this function, then add type hints and a docstring: def avg(xs): return sum(xs) / len(xs)"));
        // a verb in -ing after a comma opens one too
        assertEquals(true, appended("Plan a 4-day climbing trip to Red River Gorge, sticking to routes 5.9 and under.",
                "Plan a 4-day climbing trip to Red River Gorge."));
        // a clause limited by "only" needs one new word
        assertEquals(true, appended("Write a Home Assistant automation to turn off all lights at midnight.",
                "Write a Home Assistant automation to turn off all lights at midnight, but only if nobody is home."));
        // and one marked by "also"
        assertEquals(true, appended("Find the mean of 12, 15, 18, 21.", "Find the mean of 12, 15, 18, 21, and also give me the range."));
        assertEquals(false, appended("Find the mean of 12, 15, 18, 21.", "Find the mean of 12, 15, 18, 21, and give me the range."));
        // an exception appended
        assertEquals(true, appended("Summarize the tax deductions available to US homeowners.",
                "Summarize the tax deductions available to US homeowners, other than the mortgage interest deduction."));
        // a sentence that limits the answer, whoever it is about
        assertEquals(true, appended("How do I attract more birds to my backyard feeder?",
                "How do I attract more birds to my backyard feeder? The neighbours' cats roam outside, so nothing that "
                        + "puts birds on the ground."));
        assertEquals(false, appended("How do I attract more birds to my backyard feeder?",
                "How do I attract more birds to my backyard feeder? The neighbours' cats roam outside."));
        // "if" when the asker limits what they have
        assertEquals(true, appended("How should I warm up before a ranked Apex Legends session?",
                "How should I warm up before a ranked Apex Legends session if I only have 10 minutes?"));
        assertEquals(false, appended("Why should I care about privacy?", "Why should I care about privacy if I have nothing to hide?"));
        // the asker's case after a dash, a clause after "all", a clause with a file name in it
        assertEquals(true, appended("Recommend a cold medicine for nighttime congestion.",
                "Recommend a cold medicine for nighttime congestion \u2014 I have high blood pressure, so no decongestants."));
        assertEquals(true, appended("Make a list of 20 vocabulary words for a 5th grade spelling bee.",
                "Make a list of 20 vocabulary words for a 5th grade spelling bee, all of them ending in -tion."));
        assertEquals(true, appended("How do I find and delete files older than 30 days in /var/log?",
                "How do I find and delete files older than 30 days in /var/log, but skip anything ending in .gz?"));
        // after a semicolon, the asker's case is a sentence of its own
        assertEquals(true, appended("Write a home fire escape plan for my family.",
                "Write a home fire escape plan for my family; my dad uses a wheelchair and sleeps upstairs."));
        assertEquals(true, appended("Help me plan a log cabin quilt for a queen bed.",
                "Help me plan a log cabin quilt for a queen bed; I only have two weekends to finish it."));
    }

    @Test
    void requirementAppended_aRequirementAfterADash_isTrue() {
        assertEquals(true, appended("Give me a birthday cake recipe for 12 people.",
                "Give me a birthday cake recipe for 12 people \u2014 it has to be ready in under an hour."));
    }

    @Test
    void requirementAppended_aWhereClauseThatSaysMust_isTrue() {
        assertEquals(true, appended("Design a schema for a multi-tenant SaaS database.",
                "Design a schema for a multi-tenant SaaS database where each tenant's data must be physically isolated."));
        assertEquals(false, appended("Design a schema for a multi-tenant SaaS database.",
                "Design a schema for a multi-tenant SaaS database where tenants sign up."));
        // an "if" clause that says "has to" is a requirement; a bare one is a condition, left alone
        assertEquals(true, appended("What should I pack for a week-long trail ride?",
                "What should I pack for a week-long trail ride if everything has to fit in saddlebags?"));
        assertEquals(false, appended("What should I pack for a week-long trail ride?",
                "What should I pack for a week-long trail ride if it rains a lot?"));
    }

    @Test
    void wordsTraded_twoWordsTradingPlacesEverywhere_isOne() {
        assertEquals(1.0, Symmetric.flag(RequestShape::wordsTraded,
                "Can I substitute honey for sugar in banana bread? How much honey replaces 1 cup of sugar?",
                "Can I substitute sugar for honey in banana bread? How much sugar replaces 1 cup of honey?"));
        assertEquals(1.0, Symmetric.flag(RequestShape::wordsTraded,
                "Write a SQL query listing all customers and their orders, including customers with no orders.",
                "Write a SQL query listing all orders and their customers, including orders with no customer."));
        // one word put for another everywhere is no trade; nor is a trade at two places alone
        assertEquals(0.0, Symmetric.flag(RequestShape::wordsTraded,
                "How much honey replaces 1 cup of honey?", "How much sugar replaces 1 cup of sugar?"));
        assertEquals(0.0, Symmetric.flag(RequestShape::wordsTraded,
                "Should I learn Python or Java?", "Should I learn Java or Python?"));
    }

    @Test
    void mentionTraded_aSideTakenByAnotherNamedParty_isOne() {
        assertEquals(1.0, Symmetric.flag(RequestShape::mentionTraded,
                "Describe the war between the sky elves and the deep gnomes from the gnomes' point of view.",
                "Describe the war between the sky elves and the deep gnomes from the sky elves' point of view."));
        assertEquals(1.0, Symmetric.flag(RequestShape::mentionTraded,
                "In the wolf-goat-cabbage puzzle, what happens if the goat is left alone with the cabbage?",
                "In the wolf-goat-cabbage puzzle, what happens if the wolf is left alone with the goat?"));
        // a party the other text never names is a new word, not a trade
        assertEquals(0.0, Symmetric.flag(RequestShape::mentionTraded,
                "Describe the war between the sky elves and the deep gnomes from the gnomes' point of view.",
                "Describe the war between the sky elves and the deep gnomes from a neutral historian's point of view."));
        assertEquals(0.0, Symmetric.flag(RequestShape::mentionTraded,
                "How do I clean a velvet sofa?", "How do I clean a leather sofa?"));
    }

    @Test
    void requirementAppended_aWhoseClauseOrAClauseLimitedByOnly_isTrue() {
        assertEquals(true, appended("Give me a checklist for a US passport application for a minor.",
                "Give me a checklist for a US passport application for a minor whose parents are divorced and one "
                        + "parent lives abroad."));
        assertEquals(true, appended("Suggest accounting software for a small charity.",
                "Suggest accounting software for a small charity \u2014 free options only."));
        // "no more, no less" repeats the amount the request already sets
        assertEquals(false, appended("Write a 100-word horror story (exactly 100 words, no more, no less).",
                "Can you write a horror story in exactly 100 words?"));
    }

    @Test
    void requirementAppended_aPreferenceAfterIdeally_isTrue() {
        assertEquals(true, appended("Recommend a wick for a 10 oz coconut wax candle.",
                "Recommend a wick for a 10 oz coconut wax candle, ideally flat cotton with no zinc core."));
        assertEquals(true, appended("Suggest a laptop for video editing, preferably one under two kilograms.",
                "Suggest a laptop for video editing."));
    }

    @Test
    void requirementAppended_aSecondRequirementAfterButStill_isTrue() {
        assertEquals(true, appended("Write a Kubernetes NetworkPolicy that isolates the payments namespace.",
                "Write a Kubernetes NetworkPolicy that isolates the payments namespace but still allows egress to DNS."));
    }

    @Test
    void requirementAppended_aRestrictionAfterOnly_isTrue() {
        assertEquals(true, appended("Give me a reading list on Buddhist philosophy.",
                "Give me a reading list on Buddhist philosophy \u2014 only books I can read free online."));
    }

    @Test
    void requirementAppended_aConditionAboutTheAsker_isTrue() {
        assertEquals(true, appended("Explain how to return a faulty laptop to the retailer.",
                "Explain how to return a faulty laptop to the retailer when I've lost the receipt."));
        assertEquals(true, appended("What are my options if my landlord won't make repairs?",
                "What are my options if my landlord won't make repairs, given that I'm month-to-month and can't afford to move?"));
        // the colon of a time ends no sentence
        assertEquals(true, appended("Write a morning routine for getting three kids to school on time.",
                "Write a morning routine for getting three kids to school on time when I work night shifts and sleep until 7:30."));
        // "if" is left out: Quora's duplicates add such a case as often
        assertEquals(false, appended("Do I really need to care about my privacy online?",
                "Do I really need to care about my privacy online if I have nothing to hide?"));
    }

    @Test
    void requirementAppended_aClauseNamingTheCase_isTrue() {
        assertEquals(true, appended("Explain how to count carbs for a teenager with type 1 diabetes.",
                "Explain how to count carbs for a teenager with type 1 diabetes who plays varsity soccer."));
        assertEquals(true, appended("How do I renew my Indian passport from the US?",
                "How do I renew my Indian passport from the US when it has already expired?"));
        assertEquals(true, appended("Give me a road trip itinerary through Scotland's North Coast 500.",
                "Give me a road trip itinerary through Scotland's North Coast 500 where every night is spent camping."));
        // a second question in a sentence of its own is not a case of the first
        assertEquals(false, appended("What are the symptoms of HIV?",
                "What are the symptoms of HIV? When do the first symptoms appear?"));
        // nor a title, nor a comparison
        assertEquals(false, appended("What did you think of Fantastic Beasts?",
                "What did you think of Fantastic Beasts Where to Find Them movie?"));
        assertEquals(false, appended("How is the life of an American teenager?",
                "How is the life of an American teenager when compared to Indian teens?"));
    }

    private static double instead(String a, String b) {
        return Symmetric.flag(RequestShape::insteadReversed, a, b);
    }

    @Test
    void insteadReversed_eachDoingWhatTheOtherDoesInsteadOf_isTrue() {
        assertEquals(1.0, instead("Why do hockey teams dump the puck in instead of carrying it over the blue line?",
                "Why do hockey teams carry the puck over the blue line instead of dumping it in?"));
        assertEquals(1.0, instead("Why would a startup choose debt financing instead of equity?",
                "Why would a startup choose equity financing instead of debt?"));
        assertEquals(1.0, instead("Should I rent rather than buy in Denver?", "Should I buy rather than rent in Denver?"));
        // a doubled consonant before -ing (round AF served this pair's answer)
        assertEquals(1.0, instead("How do I embed an image in Inkscape instead of linking it?",
                "How do I link an image in Inkscape instead of embedding it?"));
        // what is left out read past "being" and "using" (round AL served this pair's answer)
        assertEquals(1.0, instead("Which traditional bagpipes use a bellows instead of being mouth-blown?",
                "Which traditional bagpipes are mouth-blown rather than using a bellows?"));
    }

    @Test
    void sameAct_formsOfOneVerb_isTrue_otherVerbs_isFalse() {
        assertTrue(RequestShape.sameAct("embed", "embedding"));
        assertTrue(RequestShape.sameAct("embedded", "embed"));
        assertTrue(RequestShape.sameAct("stop", "stopped"));
        assertTrue(RequestShape.sameAct("link", "linking"));
        assertTrue(RequestShape.sameAct("carry", "carrying"));
        assertFalse(RequestShape.sameAct("embed", "linking"));
        assertTrue(RequestShape.sameAct("add", "adding"));
        // "ad" is no form of "add"
        assertFalse(RequestShape.sameAct("ad", "adding"));
    }

    @Test
    void insteadReversed_theSameChoiceInOtherWords_isFalse() {
        // the same act left out in both
        assertEquals(0.0, instead("Why do hockey teams dump the puck in instead of carrying it?",
                "Why do hockey players dump the puck instead of carrying it over the line?"));
        // another act left out, but not the one the other text does
        assertEquals(0.0, instead("Why dump the puck in instead of carrying it?",
                "Why dump the puck in instead of passing it?"));
        // the same thing left out past "using"
        assertEquals(0.0, instead("Which bagpipes use a bellows instead of using the mouth?",
                "Which bagpipes are played with a bellows rather than using the mouth?"));
        // only one text says "instead of"
        assertEquals(0.0, instead("Why do teams dump the puck in instead of carrying it?",
                "Why do teams carry the puck and not dump it?"));
    }

    private static double dropped(String a, String b) {
        return Symmetric.flag(RequestShape::insteadDropped, a, b);
    }

    @Test
    void insteadDropped_theOtherTextAsksForWhatOneLeavesOut_isTrue() {
        assertEquals(1.0, dropped("github actions matrix run jobs in parallel",
                "How do I make my GitHub Actions matrix jobs run one at a time instead of in parallel?"));
        assertEquals(1.0, dropped("how to publish typescript package to npm with types",
                "how to publish a typescript package to github packages instead of npm"));
    }

    @Test
    void insteadDropped_theChoiceKeptOrWeighedOtherwise_isFalse() {
        // the other text makes the same choice
        assertEquals(0.0, dropped("publish a typescript package to github packages instead of npm",
                "publish my typescript package on github packages"));
        // it weighs the two itself
        assertEquals(0.0, dropped("Why would I choose Go over Rust for a web backend?",
                "Give reasons to pick Go instead of Rust for building a web backend."));
        assertEquals(0.0, dropped("Is Confucianism a religion or a philosophy?",
                "Should Confucianism be classified as a philosophy rather than a religion?"));
        // a plain verb chooses nothing: a substitute asked either way
        assertEquals(0.0, dropped("What can I drink instead of coffee to wake up?",
                "good coffee alternatives to wake up in the morning"));
        // it refuses the left-out thing itself, or turns it into the chosen one
        assertEquals(0.0, dropped("How can I run adb over Wi-Fi instead of a USB cable?",
                "adb wireless connection setup no usb"));
        assertEquals(0.0, dropped("How do I change the default branch name from master to main for new repositories in git?",
                "git: make every repo I create with git init start on main instead of master"));
        assertEquals(0.0, dropped("vim set tab to 4 spaces",
                "How do I configure Vim so pressing Tab inserts four spaces instead of a tab character?"));
    }

    private static boolean kept(String a, String b) {
        return Symmetric.flag((x, y) -> RequestShape.keptAdded(x, y) ? 1 : 0, a, b) == 1;
    }

    @Test
    void keptAdded_somethingKeptThatTheOtherTextDoesNotSpeakOf_isTrue() {
        assertEquals(true, kept("helm uninstall release but keep its history", "helm uninstall a release"));
        assertEquals(true, kept("node delete a directory and everything in it",
                "node delete all files inside a directory but keep the folder"));
        assertEquals(true, kept("terraform init after changing backend config and keep existing state",
                "terraform init after changing backend config but ignore the old state and start fresh"));
    }

    @Test
    void keptAdded_whatStaysSaidOtherwise_orTheAnswerKeptShort_isFalse() {
        // the other text speaks of what stays
        assertEquals(false, kept("How do I undo the last git commit but keep the changes?",
                "undo latest commit in git without losing my file modifications"));
        assertEquals(false, kept("How do I turn off location services on my iPhone without affecting Find My?",
                "How can I disable location services on an iPhone but keep Find My working?"));
        assertEquals(false, kept("git undo the last commit but keep the changes",
                "git undo the last commit, don't throw my changes away"));
        assertEquals(false, kept("git undo the last commit but keep the changes",
                "git undo the last commit with the changes kept in the working tree"));
        // the answer's length, a thing prevented, a thing going on
        assertEquals(false, kept("Explain what an exoplanet transit is, and keep it under 3 sentences.",
                "In fewer than three sentences, describe an exoplanet transit."));
        assertEquals(false, kept("Quick darkroom question, and keep the answer to two or three sentences: how does dodging work?",
                "How does dodging work in darkroom printing, two or three sentences max?"));
        assertEquals(false, kept("How do I stay motivated to study every day?", "How do I study every day and keep at it?"));
        // keeping that is the whole request, not a second aim
        assertEquals(false, kept("How do I keep my cat from scratching the couch?",
                "How do I stop my cat scratching the couch?"));
        assertEquals(false, kept("How can I get my dad, who has dementia, to take his medication?",
                "My father has dementia and keeps refusing his pills. How do I get him to take them?"));
    }

    @Test
    void requirementAppended_aSecondAimAfterWhile_isTrue() {
        assertEquals(true, appended("How do I attract birds to my backyard feeder?",
                "How do I attract birds to my backyard feeder while keeping squirrels away from it?"));
        // "when" before what is being done (round AK served the pair), a short -ing form too
        assertEquals(true, appended("What are the most common mistakes beginner card magicians make?",
                "What are the most common mistakes beginner card magicians make when doing false shuffles?"));
        // "while" with no aim after it is a time
        assertEquals(false, appended("How do I attract birds to my backyard feeder?",
                "How do I attract birds to my backyard feeder while I am at work?"));
    }

    @Test
    void requirementAppended_aRewordingOrOneWordMore_isFalse() {
        // the clause brings one word the shorter text lacks
        assertEquals(false, appended("Explain how vaccines work.", "Explain how vaccines work, and thanks!"));
        assertEquals(false, appended("Summarize this article with citations.", "Summarize this article, and include citations."));
        // no comma or sentence opens the clause, and "and" joins lists as often
        assertEquals(false, appended("Plan a backyard coop for six hens.", "Plan a backyard coop for six hens and estimate the cost."));
        // nor does a word in -ing without a comma before it, nor a clause of courtesies
        assertEquals(false, appended("Describe the water cycle.",
                "Describe the water cycle, please and thank you kindly."));
        assertEquals(false, appended("Plan a climbing trip to Red River Gorge.",
                "Plan a climbing trip to Red River Gorge sticking to routes 5.9 and under."));
        // the rest of the longer text says more than the shorter one
        assertEquals(false, appended("Plan a coop for hens.", "Plan a large backyard coop for six hens, and estimate the cost."));
        assertEquals(false, appended("Suggest five cheeses a beginner can make at home, plus the aging time for each.",
                "What are 5 beginner-friendly cheeses to make at home, and how long does each need to age?"));
    }

    @Test
    void countMismatch_countsWrittenAsWordsCompoundsOrPairs() {
        assertEquals(0.0, count("In roughly 25 words, what is a bone folder used for in bookbinding?",
                "Bookbinding question: what's a bone folder for? Answer in about twenty-five words."));
        assertEquals(1.0, count("Describe a bone folder in twenty-five words.", "Describe a bone folder in five words."));
        assertEquals(1.0, count("Suggest twenty-five houseplants for low light.", "Suggest 30 houseplants for low light."));
        assertEquals(1.0, count("Suggest a pair of measurable outcomes for a youth literacy grant proposal.",
                "Suggest eleven measurable outcomes for a youth literacy grant proposal."));
        assertEquals(0.0, count("Name a dozen dry fly patterns every trout angler should carry.",
                "Name 12 dry fly patterns every trout angler should carry."));
        assertEquals(0.0, count("List half a dozen base notes that work in a woody perfume.",
                "List 6 base notes that work in a woody perfume."));
        assertEquals(1.0, count("List half a dozen base notes that work in a woody perfume.",
                "List a dozen base notes that work in a woody perfume."));
        // a number word times "hundred" or "thousand", written apart or joined by hyphens
        assertEquals(0.0, count("Write a 200-word summary of the Toyota Production System.",
                "Summarize TPS (the Toyota Production System) in roughly two hundred words."));
        assertEquals(0.0, count("Tell me the history of chess in 200 words.",
                "Give a roughly two-hundred-word history of the game of chess."));
        assertEquals(1.0, count("Tell me the history of chess in 200 words.",
                "Give a roughly three-hundred-word history of the game of chess."));
        assertEquals(0.0, count("Give me a half-dozen ideas for our book club.", "Give me 6 ideas for our book club."));
        assertEquals(1.0, count("Give me a half-dozen ideas for our book club.", "Give me 10 ideas for our book club."));
    }

    @Test
    void countMismatch_largeCountsJoinedToTheirNounOrWrittenWithACommaCount() {
        assertEquals(1.0, count("How much chlorine shock do I need for a 15,000-gallon pool?",
                "How much chlorine shock do I need for a 40,000-gallon pool?"));
        assertEquals(1.0, count("Summarize what a sprint retrospective is for.",
                "Summarize what a sprint retrospective is for, in a 1,500-word explainer."));
        assertEquals(0.0, count("How much shock for a 15,000-gallon pool?", "How much shock does a 15000-gallon pool need?"));
        assertEquals(0.0, count("Write a 1,500-word essay on tides.", "Write an essay on tides in 1,500 words."));
        assertEquals(1.0, count("Write an essay on tides in 1,500 words.", "Write an essay on tides in 2,000 words."));
        assertEquals(1.0, count("Write a 3000-word essay on tides.", "Write a 5000-word essay on tides."));
    }

    @Test
    void countMismatch_spansOfTimeCompareAcrossUnits() {
        assertEquals(1.0, count("Write an intro for our trivia night that I can read aloud in 15 seconds.",
                "Write an intro for our trivia night that I can read aloud in 5 minutes."));
        assertEquals(0.0, count("Write an intro I can read aloud in 90 seconds.", "Write an intro I can read aloud in 1.5 minutes."));
        assertEquals(1.0, count("Give me a plan to run 5 km in 2 weeks.", "Give me a plan to run 5 km in 2 months."));
    }

    @Test
    void countMismatch_anotherTimeOfDay_isOne_theSameTimeWrittenOtherwise_isZero() {
        assertEquals(1.0, count("Plan a bus commute that gets me to work by 8:00 am.",
                "Plan a bus commute that gets me to work by 9:30 am."));
        assertEquals(1.0, count("Set an alarm for 7 pm.", "Set an alarm for 7 a.m."));
        assertEquals(0.0, count("Plan a commute that gets me to work by 8 am.", "Plan a commute that gets me to work by 8:00."));
        assertEquals(0.0, count("Why is the time set to 9:41 am on every iPhone advert?",
                "In iPhone adverts, why is the time always set to 9:42 a.m.?"));
        // a time on one side only, and no time at all
        assertEquals(0.0, count("Plan a commute that gets me to work by 8 am.", "Plan a commute that gets me to work early."));
        assertEquals(0.0, count("What is the aspect ratio 16:9?", "Explain the 16:9 aspect ratio."));
        // times said by name (round Z)
        assertEquals(1.0, count("Draft an email asking my neighbor to keep the noise down after 10 p.m.",
                "Draft an email asking my neighbor to keep the noise down after midnight."));
        assertEquals(0.0, count("Does the pharmacy close at noon on Sundays?", "Does the pharmacy close at 12 pm on Sundays?"));
        assertEquals(0.0, count("Why do I wake up at midnight every night?", "Why do I wake up at 12 am every night?"));
    }

    @Test
    void countMismatch_aRateOverAnotherSpan_isOne() {
        assertEquals(1.0, count("Set up a rate limiter that allows 100 requests per minute per user.",
                "Set up a rate limiter that allows 100 requests per second per user."));
        assertEquals(1.0, count("Plan workouts for twice a week.", "Plan workouts for twice a day."));
        // a day of the week is a rate of its own
        assertEquals(1.0, count("github actions cron run every day at midnight",
                "github actions cron run every monday at midnight"));
        assertEquals(1.0, count("cron run job every weekday at 9am", "cron run job every monday at 9am"));
        assertEquals(0.0, count("cron run job every monday at 9am", "cron job each Monday at 9am"));
        // a span, not a rate; and a compound
        assertEquals(0.0, count("Can I learn the basics in a day?", "How much can I learn per day?"));
        assertEquals(0.0, count("Table format, one column per day: a 7-day skincare routine.",
                "Give me a week-long skincare routine in a table with days as columns."));
    }

    @Test
    void countMismatch_oneBeforeACountedWord_orPages() {
        assertEquals(1.0, count("Recommend one Anki deck for learning Japanese kanji.",
                "Recommend five Anki decks for learning Japanese kanji."));
        // a bound, not a count; and "which one" counts nothing
        assertEquals(0.0, count("What would happen if Earth had two moons?", "What would happen if Earth had more than one moon?"));
        assertEquals(0.0, count("Which one of the 3 plans is best?", "Of the 3 plans, which is best?"));
        assertEquals(1.0, count("Explain the debt avalanche method in roughly half a page.",
                "Explain the debt avalanche method in roughly ten pages."));
    }

    @Test
    void countMismatch_theLastThingAgainstTheLastFew() {
        assertEquals(1.0, count("how to rollback last migration rails", "how to rollback the last 3 migrations in rails"));
        assertEquals(1.0, count("pandas get the first row of a dataframe", "pandas get the first 5 rows of a dataframe"));
        // the same count in words, and no count on either side
        assertEquals(0.0, count("git squash the last 3 commits", "git squash the last three commits"));
        assertEquals(0.0, count("rails rollback the last migration", "rails undo the most recent migration"));
        // a plural after the end word is no count of one; a word in "-ss" is no plural
        assertEquals(0.0, count("git show the last commits", "git show the last 3 commits"));
        assertEquals(1.0, count("css select the last class", "css select the last 2 classes"));
    }

    @Test
    void requirementAppended_anAsideInBracketsOrAQuestionsDetail_isFalse() {
        assertEquals(false, appended("What is Female Genital Mutilation?",
                "What is Female Genital Mutilation (also referred to as female circumcision)?"));
        assertEquals(false, appended("What are all the best books in Tamil to read?",
                "What are all the best books in Tamil to read which are thought provoking?"));
    }

    @Test
    void countMismatch_anotherRankOrVersionOfTheSameThing() {
        assertEquals(1.0, count("Roughly what bean temperature does first crack happen at when roasting coffee?",
                "Roughly what bean temperature does second crack happen at when roasting coffee?"));
        assertEquals(1.0, count("What's new in the 2nd edition of the book?", "What's new in the 3rd edition of the book?"));
        assertEquals(0.0, count("What's new in the second edition?", "What changed in the 2nd edition?"));
        assertEquals(1.0, count("What Y level is best for finding diamonds in Minecraft 1.20?",
                "What Y level is best for finding diamonds in Minecraft 1.16?"));
        // a "v" glued to the number, after any word
        assertEquals(1.0, count("React Router v5: how to redirect to another route?",
                "React Router v6: how to redirect to another route?"));
        assertEquals(0.0, count("react router v6 redirect", "How do I redirect in React Router v6?"));
        // one version in common, or a measure or a range after a name, is no other version
        assertEquals(0.0, count("Returns due Aug. 15 count as timely if submitted by Aug. 22.",
                "Returns count as timely if they arrive by Aug. 22."));
        assertEquals(0.0, count("Explain the Sheldon 70-point coin grading scale to my nephew.",
                "How would you explain the Sheldon 1-70 grading scale to my nephew?"));
        // a code of letters and digits whose digits change, after whatever word
        assertEquals(1.0, count("pydantic orm_mode in v2", "how do I use from_orm with orm_mode in pydantic v1"));
        assertEquals(1.0, count("Rust error[E0502]: cannot borrow `v` as mutable because it is also borrowed as immutable",
                "Rust error[E0499]: cannot borrow `v` as mutable more than once at a time"));
        assertEquals(1.0, count("What are the disclosure requirements of ESRS E1?",
                "What are the disclosure requirements of ESRS E4?"));
        // the same code, one in common, other letters, or a code on one side only
        assertEquals(0.0, count("convert mp4 to mp3 with ffmpeg", "ffmpeg: how do I turn an mp4 into an mp3?"));
        assertEquals(0.0, count("python3 venv not found", "python3 -m venv fails: venv module not found"));
        assertEquals(0.0, count("Is the Galaxy S3 or S4 better?", "Which is better, Galaxy S4 or S3?"));
        assertEquals(0.0, count("encode with x264 in ffmpeg", "encode with h264 in ffmpeg"));
        assertEquals(0.0, count("Explain how IPv6 addressing works.", "How does addressing work?"));
    }

    @Test
    void countMismatch_aSpanOfTimeBackFromNow_turned() {
        assertEquals(1.0, count("PostgreSQL: select rows created in the last 7 days",
                "PostgreSQL: select rows created more than 7 days ago"));
        assertEquals(1.0, count("git: list commits older than 2 weeks", "git: list commits made in the past 2 weeks"));
        // the same side in other words, a negation that may turn it, or a span that is no window
        assertEquals(0.0, count("show logs from the last 24 hours", "show logs from the past 24 hours"));
        // one period for another, however each is said
        assertEquals(1.0, count("What were the biggest discoveries in astronomy in the past month?",
                "What were the biggest discoveries in astronomy over the past decade?"));
        assertEquals(1.0, count("Which planets will be visible in the night sky at some point this year?",
                "Which planets will be visible in the night sky this week?"));
        assertEquals(1.0, count("Create a content calendar for our skincare brand for this week.",
                "Create a content calendar for our skincare brand for the whole year."));
        assertEquals(0.0, count("What happened in tech this week?", "What were the tech news of the past week?"));
        assertEquals(1.0, count("How do I see last week's rainfall total on my La Crosse weather station?",
                "How do I see last year's rainfall total on my La Crosse weather station?"));
        assertEquals(0.0, count("How do I see last week's rainfall total on my weather station?",
                "On my weather station, where is the rainfall total for last week?"));
        // one number for another, written in another number of words
        assertEquals(1.0, count("Design a chat system like WhatsApp for about 1 billion users.",
                "Design a chat system like WhatsApp for about 1,000 users."));
        // a period on one side only, or beside a span of another kind, is left alone
        assertEquals(0.0, count("I'm turning 20 in a week. What should I do?", "What should I do? I'm turning 20 next month."));
        assertEquals(0.0, count("My 80-year-old grandmother gets a pacemaker next week. How does it work?",
                "My grandma is 80 and gets a pacemaker next week. How does it work?"));
        assertEquals(0.0, count("find: delete files not modified in the last 30 days", "find: delete files older than 30 days"));
        assertEquals(0.0, count("PromQL rate of http_requests_total over the last 5 minutes",
                "PromQL rate of http_requests_total over 5 minutes"));
        // a span counted forward from now against one counted back, however the verb is put
        assertEquals(1.0, count("Write a SQL query to find all leases expiring in the next 30 days.",
                "Write a SQL query to find all leases that expired in the last 30 days."));
        assertEquals(1.0, count("What's the weather going to be like over the coming week?",
                "What was the weather like over the past week?"));
        assertEquals(0.0, count("Plan my workouts for the next 4 weeks.", "Plan my training for the coming 4 weeks."));
        // "in" a span, or a span "from now", against one further back
        assertEquals(1.0, count("Write a reminder email to customers that their free trial ends in 3 days.",
                "Write a reminder email to customers that their free trial ended 3 days ago."));
        assertEquals(1.0, count("Remind me what was due 2 weeks ago.", "Remind me what is due 2 weeks from now."));
        // "in" a span may say how long, which a span just before now may say too
        assertEquals(0.0, count("How should I prepare for JEE in the last 3 months?", "How should I prepare for IIT-JEE in 3 months?"));
        // a text with spans on two sides decides nothing
        assertEquals(0.0, count("compare sales in the last 30 days with the forecast for the next 30 days",
                "sales over the past 30 days against the next 30 days' forecast"));
    }

    @Test
    void countMismatch_oneNumberBoundFromOppositeSides() {
        assertEquals(1.0, count("Explain Olbers' paradox in under 50 words.", "Explain Olbers' paradox in at least 50 words."));
        assertEquals(1.0, count("Explain how a railway turntable works, 3 sentences max.",
                "Explain how a railway turntable works, at least 3 sentences."));
        assertEquals(1.0, count("Recommend a sewing machine for quilting under $300.", "Recommend a sewing machine for quilting over $300."));
        assertEquals(1.0, count("What is the probability of getting exactly 2 heads in 5 fair coin flips?",
                "What is the probability of getting at least 2 heads in 5 fair coin flips?"));
        // one bound said two ways
        assertEquals(0.0, count("Write a bedtime story about a dragon, under 200 words.", "Write a dragon bedtime story of 200 words or less."));
        assertEquals(0.0, count("Give me a biography of Maria Callas, max 150 words.",
                "Give me a biography of Maria Callas no longer than 150 words."));
        // a condition on what happens, put as the other side of the bound
        assertEquals(0.0, count("How do I make a GitLab pipeline fail if test coverage drops below 80%?",
                "Enforce a minimum of 80% code coverage in GitLab CI so the pipeline breaks when it's lower."));
        assertEquals(0.0, count("Plan a two-week rail itinerary through Japan where no single train ride is over three hours.",
                "Can you plan 14 days around Japan by train, keeping every individual ride to 3 hours or less?"));
        assertEquals(0.0, count("Write a Google Ads description (max 90 characters) for an emergency plumber in Denver.",
                "Give me a Google Ads description for a Denver emergency plumbing company; it can't go over 90 characters."));
    }

    @Test
    void countMismatch_aSpanOfTimeWithAOrAn_butNotARate() {
        assertEquals(1.0, count("Explain the rule in something I could read out loud in ten seconds.",
                "Explain the rule in something long enough to take an hour to read."));
        // "after an hour" is a span as "in an hour" is (round BL served it)
        assertEquals(1.0, count("Is it normal for my pyrography pen's handle to get warm after an hour?",
                "Is it normal for my pyrography pen's handle to get warm after five minutes?"));
        assertEquals(0.0, count("Give me a plan to lose 5 kg in 30 days.", "Give me a plan to lose 5 kg in a month."));
        assertEquals(0.0, count("How often should I feed a 3-month-old puppy?",
                "How many times a day should a three month old puppy eat?"));
        assertEquals(0.0, count("Calculate the monthly payment on a $20,000 car loan over 5 years.",
                "What's my monthly payment for a 20k car loan over five years?"));
    }

    @Test
    void countMismatch_theSameWordsButOneNumber_isOne_theSameNumberWrittenOtherwise_isZero() {
        // "zone" is no counted noun, and 4 counts nothing
        assertEquals(1.0, count("Which vegetables can I direct-sow in April in hardiness zone 4?",
                "Which vegetables can I direct-sow in April in hardiness zone 9?"));
        assertEquals(1.0, count("Where can I buy Jordan 2 shoes?", "Where can I buy Jordan 4 shoes?"));
        // "the single" counts one, as "a single" does
        assertEquals(1.0, count("What's the single most common cause of a slow SQL query?",
                "What are the five most common causes of a slow SQL query?"));
        assertEquals(0.0, count("Which vegetables can I direct-sow in April in hardiness zone 4?",
                "Which vegetables can I direct-sow in April in hardiness zone four?"));
    }

    private static boolean inserted(String a, String b) {
        return RequestShape.phraseInserted(TextFeatures.of(a), TextFeatures.of(b));
    }

    @Test
    void phraseInserted_aPhraseThatNarrowsTheRequest_isTrue() {
        assertEquals(true, inserted("What vegetables can I plant in October in zone 7?",
                "What vegetables can I plant in containers in October in zone 7?"));
        assertEquals(true, inserted("How do I clean a cast iron skillet without using any soap?",
                "How do I clean a cast iron skillet?"));
        // a number is enough: "$40" is read as 40
        assertEquals(true, inserted("He already owns every gadget. Suggest a gift.",
                "He already owns every gadget. Suggest a gift under $40."));
        // a work that features someone
        assertEquals(true, inserted("Recommend some Agatha Christie novels.", "Recommend some Agatha Christie novels featuring Miss Marple."));
        // "from" only with a point of view
        assertEquals(true, inserted("Explain the causes of the Opium Wars.",
                "Explain the causes of the Opium Wars from the Qing court's point of view."));
        assertEquals(false, inserted("How do I get a visa?", "How do I get a visa from the embassy?"));
        // a participle before the preposition
        assertEquals(true, inserted("Recommend books about the history of maritime trade.",
                "Recommend books about the history of maritime trade published after 2010."));
        assertEquals(true, inserted("Suggest some mystery novels.", "Suggest some mystery novels set in Japan."));
        assertEquals(false, inserted("Suggest some mystery novels.", "Suggest some mystery novels I liked."));
        // a phrase that ends the request, with a sentence after it, is read alone
        assertEquals(true, inserted("How can I soundproof my podcast room?",
                "How can I soundproof my podcast room without damaging the walls? I'm renting."));
        assertEquals(false, inserted("What is the best sniper rifle?", "What is the best sniper rifle in the world? Thanks."));
    }

    @Test
    void phraseInserted_noPrepositionAnEmphasisASentenceOrAnotherWord_isFalse() {
        // not opened by a preposition, or by one whose phrases Quora's duplicates add as often
        assertEquals(false, inserted("What are the best cats?", "What are the best cats ever?"));
        assertEquals(false, inserted("How do I turn off screen overlay?", "How do I turn off screen overlay for Android?"));
        // it brings no word that narrows
        assertEquals(false, inserted("What is the best sniper rifle?", "What is the best sniper rifle in the world?"));
        // a sentence of its own: Quora's duplicates add context this way
        assertEquals(false, inserted("Create a study schedule for the MCAT.",
                "Create a study schedule for the MCAT. In my case, weekdays are busy."));
        // the texts differ in more than the phrase, or not at all
        assertEquals(false, inserted("How do I plant tulips in pots?", "How should I plant tulips in containers?"));
        assertEquals(false, inserted("How do I plant tulips?", "How do I plant tulips?"));
    }

    private static boolean renamed(String a, String b) {
        return Symmetric.flag((x, y) -> RequestShape.nameSubstituted(x, y) ? 1 : 0, a, b) == 1;
    }

    @Test
    void nameSubstituted_anotherProductPlaceOrSource_isTrue() {
        assertEquals(true, renamed("What are Google Play's policies on in-app purchases?",
                "What are the Apple App Store's policies on in-app purchases?"));
        assertEquals(true, renamed("How is income tax calculated in Canada?", "How is income tax calculated in Ontario specifically?"));
        assertEquals(true, renamed("Create an RSVP form for our wedding using Google Forms.",
                "Create an RSVP form for our wedding using Typeform."));
        assertEquals(true, renamed("What does the Oxford English Dictionary say about the origin of the word 'utopia'?",
                "What does Merriam-Webster say about the origin of the word 'utopia'?"));
        // two letters one apart are two names
        assertEquals(true, renamed("At what age do kids start learning fractions in the US curriculum?",
                "At what age do kids start learning fractions in the UK curriculum?"));
        // names that begin alike and then part (a calibration-stream wrong hit)
        assertEquals(true, renamed("What is the penalty for driving without a license in Missouri?",
                "What is the penalty for driving without a license in Mississippi?"));
        assertEquals(true, renamed("What is it like to live in Londonderry?", "What is it like to live in London?"));
    }

    private static boolean prefixed(String a, String b) {
        return Symmetric.flag((x, y) -> RequestShape.prefixed(x, y) ? 1 : 0, a, b) == 1;
    }

    @Test
    void prefixed_aPrefixedWordForTheWordAlone_isTrue() {
        assertEquals(true, prefixed("Explain the painting techniques of Impressionism.",
                "Explain the painting techniques of Post-Impressionism."));
        assertEquals(true, prefixed("How do I train for a marathon?", "How do I train for an ultramarathon?"));
    }

    @Test
    void prefixed_thePrefixOnBothSidesOrSaidInOtherWords_isFalse() {
        // written apart or onto the word
        assertEquals(true, prefixed("What do Indian men think of Indian women?", "What do non-Indian men think of Indian women?"));
        assertEquals(false, prefixed("Can math prove the existence of God?", "Can mathematics prove the existence or non-existence of God?"));
        assertEquals(false, prefixed("What is difference between anti-matter and dark matter?",
                "What's the relationship between antimatter and dark matter?"));
        assertEquals(false, prefixed("How is an air superiority fighter different from a multi role combat aircraft?",
                "What is an air superiority fighter and how is it different from a multirole fighter?"));
        // said in words of its own, or by a negation
        assertEquals(false, prefixed("Write the pre-dive buddy check as a mnemonic rhyme.",
                "Turn the buddy check we do before every dive into a rhyming mnemonic."));
        assertEquals(false, prefixed("Explain what a service worker does, pitched at our non-technical investors.",
                "Our investors aren't technical. How would you explain what a service worker does?"));
        // glued, most prefixes make words of their own
        assertEquals(false, prefixed("A feature extractor is used to preprocess image datasets.",
                "A preprocessor using feature extraction is used to process image datasets."));
    }

    @Test
    void nameSubstituted_theSameNameOtherwiseWrittenOrMoreThanANameChanged_isFalse() {
        // initials, spellings, possessives, and one country's names
        assertEquals(false, renamed("How can I join the U.S. Air Force reserve?",
                "How can I join the United States\u00b4s Air Force reserve?"));
        assertEquals(false, renamed("How do I open settings in VS Code?", "How do I open settings in Visual Studio Code?"));
        assertEquals(false, renamed("Did Hilary Clinton have an affair with Vince Foster?",
                "Did Hillary Clinton have an affair with Vince Foster?"));
        assertEquals(false, renamed("What is it like to use Snapchat\u2019s Spectacles?", "What is it like to use Snapchat Spectacles?"));
        assertEquals(false, renamed("What are the best places to live in the USA?", "What are the best places to live in America?"));
        // a name and its short form, listed as one value of a constraint class
        assertEquals(false, renamed("How do I cancel a fetch request in JavaScript using AbortController?",
                "How do I cancel a fetch request in JS using AbortController?"));
        assertEquals(true, renamed("How do I sort an array in JavaScript?", "How do I sort an array in TypeScript?"));
        // a name shared, or words that are no names
        assertEquals(false, renamed("Which is better MBA or CA?", "Which is better CA or an MBA?"));
        // a name and its demonym share a start and part by a short ending
        assertEquals(false, renamed("What do people think of China?", "What do people think of Chinese?"));
        assertEquals(false, renamed("How do I install WhatsApp for my PC?", "How do I install WhatsApp in my PC (Windows)?"));
        assertEquals(false, renamed("What does a homeowners insurance policy exclude?", "What does a condo insurance policy exclude?"));
    }

    private static boolean negated(String a, String b) {
        return RequestShape.negationInserted(TextFeatures.of(a), TextFeatures.of(b));
    }

    @Test
    void negationInserted_onlyANegationMore_isTrue_andAnythingElse_isFalse() {
        assertEquals(true, negated("Excel: how to sum values in column C only where column A is blank",
                "Excel: how to sum values in column C only where column A is not blank"));
        assertEquals(true, negated("Why am I not gaining weight?", "Why am I gaining weight?"));
        assertEquals(false, negated("Why am I not gaining weight?", "Why am I not gaining any weight?"));
        assertEquals(false, negated("Why am I gaining weight?", "Why am I gaining weight?"));
        assertEquals(false, negated("Is there no way out?", "Is there a way out?"));
        // "already" and "yet" go with the negation: still only a negation more
        assertEquals(true, negated("How do I ignore a file that is already tracked by git?",
                "How do I ignore a file that is not yet tracked by git?"));
        assertEquals(true, negated("Why is my order still not shipped?", "Why is my order shipped?"));
        // "no longer" negates a state, "no longer than" bounds an amount (round Y)
        assertEquals(true, negated("Which luxury watch brands are still family-owned?",
                "Which luxury watch brands are no longer family-owned?"));
        assertEquals(true, negated("What can I do now that Picasa is part of Google Photos?",
                "What can I no longer do now that Picasa is part of Google Photos?"));
        assertEquals(false, negated("Write a speech that runs 5 minutes.", "Write a speech no longer than 5 minutes."));
        // a verb put for its negated form (round AB)
        assertEquals(true, negated("Which magic tricks can be done without any props?",
                "Which magic tricks can't be done without any props?"));
        assertEquals(true, negated("Will my deposit be returned?", "Won\u2019t my deposit be returned?"));
        assertEquals(true, negated("Which tricks can be done at home?", "Which tricks cannot be done at home?"));
        assertEquals(false, negated("Which tricks can be done at home?", "Which tricks can't be learned at home?"));
        // but not when a word beside them changed
        assertEquals(false, negated("How do I ignore a file that is already tracked by git?",
                "How do I ignore a folder that is not yet tracked by git?"));
        // a negation that comes with its "do", the verb then in another form
        assertEquals(true, negated("mongodb find documents where field exists",
                "mongodb find documents where field doesn't exist"));
        assertEquals(true, negated("In vim, how do I delete every line that contains a given word?",
                "In vim, how do I delete every line that does not contain a given word?"));
        // a relative clause with its negation, against the same verb in "-ing"
        assertEquals(true, negated("vim delete all lines containing a pattern",
                "vim delete all lines that do NOT contain a pattern"));
        assertEquals(false, negated("vim delete all lines containing a pattern",
                "vim delete all lines that contain a pattern"));
        // negated on both sides, in two spellings
        assertEquals(false, negated("mongodb find documents where field does not exist",
                "mongodb find documents where field doesn't exist"));
        // or with another verb
        assertEquals(false, negated("mongodb find documents where field exists",
                "mongodb find documents where field does not match"));
        // a verb in the past or an irregular form, negated through "do" in its base form
        assertEquals(true, negated("Which US states kept statewide birth records before 1900?",
                "Which US states did not keep statewide birth records before 1900?"));
        assertEquals(true, negated("When the dealer stands on soft 17, what changes?",
                "When the dealer doesn't stand on soft 17, what changes?"));
        assertEquals(true, negated("My baby is teething and has a fever, should I call the doctor?",
                "My baby is teething and doesn't have a fever, should I call the doctor?"));
        assertEquals(false, negated("Which US states kept statewide birth records before 1900?",
                "Which US states did not lose statewide birth records before 1900?"));
        // "still" dropped as the negation comes with its "do" (round AK served the pair)
        assertEquals(true, negated("Which watch brands still make their own in-house movements?",
                "Which watch brands do not make their own in-house movements?"));
        assertEquals(false, negated("Which watch brands still make their own in-house movements?",
                "Which watch brands do not sell their own in-house movements?"));
        // "still … today" against "no longer" (round AZ served the pair)
        assertEquals(true, negated("Which jukebox brands use replacement parts that are still manufactured today?",
                "Which jukebox brands use replacement parts that are no longer manufactured?"));
        assertEquals(true, negated("Which consoles are still supported?", "Which consoles are not supported anymore?"));
        assertEquals(false, negated("Which jukebox brands use replacement parts that are still manufactured today?",
                "Which jukebox brands use replacement parts that are no longer sold?"));
    }

    @Test
    void requirementAppended_aSentenceOfTheAskersOwnCaseOrAForbiddingOne_isTrue() {
        assertEquals(true, appended("How should I treat a migraine at home?",
                "How should I treat a migraine at home? I'm already taking an SSRI."));
        assertEquals(true, appended("Suggest a title for my memoir about growing up on a fishing boat.",
                "Suggest a title for my memoir about growing up on a fishing boat. It can't contain the word 'sea'."));
        assertEquals(true, appended("Give me tips for writing a spec script of an existing sitcom.",
                "Give me tips for writing a spec script of an existing sitcom that's been off the air for years."));
        // a requirement said as one needs only one new word
        assertEquals(true, appended("Suggest a wine to pair with mushroom risotto.",
                "Suggest a wine to pair with mushroom risotto; it has to be under $15."));
        // or of whoever the request is for
        assertEquals(true, appended("Suggest a homemade diet for a dog with pancreatitis.",
                "Suggest a homemade diet for a dog with pancreatitis. She's also allergic to chicken."));
        // a "who" clause that limits
        assertEquals(true, appended("Give me a weekend woodworking project for a beginner.",
                "Give me a weekend woodworking project for a beginner who only owns hand tools."));
        // and since 2026-12-02's tenth session any "who" clause naming the case ("What's the
        // best motorcycle for a beginner who happens to be very tall?" is not a Quora duplicate)
        assertEquals(true, appended("Give me a weekend woodworking project for a beginner.",
                "Give me a weekend woodworking project for a beginner who loves birdhouses."));
        // the asker's sentence that asks again is a question's detail
        assertEquals(false, appended("Do mosquitoes get trapped in spider webs?",
                "Do mosquitoes get trapped in spider webs? I have noticed that mosquitoes can bump into webs and get away?"));
    }

    private static double roles(String a, String b) {
        return Symmetric.flag(ConstraintWords::directionSwap, a, b);
    }

    @Test
    void directionSwap_rolesExchangedInOtherWords_isOne() {
        // cause and effect reversed
        assertEquals(1.0, roles("How does poor sleep affect anxiety?", "How does anxiety affect sleep?"));
        assertEquals(1.0, roles("Does stress cause hair loss?", "Does hair loss cause stress?"));
        assertEquals(1.0, Symmetric.flag(RequestShape::causeReversed, "Does stress cause hair loss?",
                "Does hair loss cause stress?"));
        assertEquals(1.0, roles("What eats sardines?", "What do sardines eat?"));
        assertEquals(1.0, roles("Who follows Elon Musk?", "Who does Elon Musk follow?"));
        assertEquals(1.0, roles("Explain how a strong dollar affects emerging markets.",
                "Explain how emerging markets affect the strength of the dollar."));
        assertEquals(1.0, roles("How did Maya religion change the Catholicism of the Spanish colonizers?",
                "How did Spanish colonization change Maya religion?"));
        assertEquals(1.0, roles("How does climate change affect mining operations in permafrost?",
                "How do mining operations in permafrost contribute to climate change?"));
        assertEquals(1.0, roles("Why do salmon migrate from the ocean into rivers?",
                "Why do salmon migrate from rivers out to the ocean?"));
        assertEquals(1.0, roles("How can a journalist move into corporate communications?",
                "How can someone in corporate communications move into journalism?"));
        assertEquals(1.0, roles("Will my cat get sick from eating my chickens' feed?",
                "Will my chickens get sick from eating my cat's food?"));
        // a conversion turned round in other words
        assertEquals(1.0, Symmetric.flag(RequestShape::conversionReversed,
                "How do I convert a glaze recipe from weight percentages to a Unity Molecular Formula?",
                "How do I convert a Unity Molecular Formula back into a weight-percentage glaze recipe?"));
        assertEquals(1.0, roles("Convert 88.5 MHz to a wavelength in meters.",
                "Convert a wavelength of 88.5 meters to a frequency in MHz."));
        assertEquals(1.0, roles("Convert 20 kg of CO2 into the equivalent miles driven in an average car.",
                "Convert 20 miles driven in an average car into kg of CO2."));
        // "from … to" and "turn … into" read as conversions
        assertEquals(1.0, roles("How do I turn a surname into its Soundex code?",
                "How do I work backward from a Soundex code to the surnames it could represent?"));
        assertEquals(1.0, roles("How do I move my photos from iCloud to Google Photos?",
                "How do I move my photos from Google Photos into iCloud?"));
        // the words both targets share are read as neither
        assertEquals(1.0, roles("Convert a mouse sensitivity of 0.5 in Valorant to the equivalent in CS2.",
                "Convert a mouse sensitivity of 0.5 in CS2 to the equivalent in Valorant."));
        // a unit read by its value, whatever its spelling
        assertEquals(1.0, roles("Convert 40 kg of resistance on the leg press to pounds.",
                "Convert 40 pounds of resistance on the leg press to kilograms."));
        // what is preferred, and what it is preferred over, exchanged in other words
        assertEquals(1.0, Symmetric.flag(RequestShape::preferenceReversed,
                "What are the advantages of outsourcing bookkeeping over keeping it in-house?",
                "What are the advantages of keeping bookkeeping in-house over outsourcing it?"));
        assertEquals(1.0, roles("Is India a better country than Vietnam?", "Is Vietnam better than India?"));
        // the doer asked of, after a noun, with a particle
        assertEquals(1.0, roles("What animals prey on garter snakes?", "What animals do garter snakes prey on?"));
        // one text turned passive
        assertEquals(1.0, Symmetric.flag(RequestShape::passiveTurned,
                "Which writers were influenced by Edgar Allan Poe's detective stories?",
                "Which writers influenced Edgar Allan Poe's detective stories?"));
        // the speaker and whom they address trade places
        assertEquals(1.0, Symmetric.flag(RequestShape::speakerTraded,
                "As a podcast host, how do I pitch myself to brands for sponsorship?",
                "As a brand, how do I pitch a sponsorship to podcast hosts?"));
    }

    @Test
    void directionSwap_theSameRolesOrAComparison_isZero() {
        assertEquals(0.0, roles("What do sardines eat?", "What do tuna eat?"));
        assertEquals(0.0, roles("What eats sardines?", "What hunts sardines?"));
        // the cause's noun is no verb, nor is a constraint's clause its object
        assertEquals(0.0, roles("In under 100 words, explain what causes red tides.",
                "Explain red tide causes in fewer than a hundred words."));
        // the same roles with another causing verb
        assertEquals(0.0, roles("How does climate change affect farming?", "How does climate change impact farming?"));
        // a passive turns the roles round again
        assertEquals(0.0, roles("How will India be affected if Donald Trump becomes president?",
                "If Trump becomes president, how will it affect India?"));
        // "compared to" asks the same both ways
        assertEquals(0.0, roles("How smart was Steve Jobs compared to Mark Zuckerberg?",
                "How does Mark Zuckerberg's intelligence compare to Steve Jobs?"));
        // "over" that weighs nothing
        assertEquals(0.0, Symmetric.flag(RequestShape::preferenceReversed,
                "What are the best over the ear headphones under Rs. 2000?",
                "Which headphone (over the ear) is best under Rs. 2000?"));
        assertEquals(0.0, roles("What animals prey on garter snakes?", "What animals hunt garter snakes?"));
        // a passive that keeps the roles
        assertEquals(0.0, Symmetric.flag(RequestShape::passiveTurned,
                "Which writers were influenced by Poe?", "Which writers were inspired by Poe?"));
        // what is replaced and what replaces it, exchanged; the same replacement in other words
        assertEquals(1.0, Symmetric.flag(RequestShape::conversionReversed,
                "vim replace newlines with commas", "vim replace every comma with a newline"));
        assertEquals(0.0, Symmetric.flag(RequestShape::conversionReversed,
                "vim replace newlines with commas", "in vim how do I replace each newline with a comma?"));
        assertEquals(0.0, Symmetric.flag(RequestShape::conversionReversed,
                "replace tabs with spaces in vscode", "replace tabs with two spaces in vscode"));
        // a distance reads as no conversion (comparisonSwap reads the "to" between the names)
        assertEquals(0.0, Symmetric.flag(RequestShape::conversionReversed,
                "What is the driving distance from Paris to Lyon?", "What is the driving distance from Lyon to Paris?"));
        // one conversion in other words, and a conversion to another target
        assertEquals(0.0, roles("Convert 5 kg to pounds.", "Convert five kilograms into pounds, please."));
        assertEquals(0.0, roles("How do I convert a Word document to PDF?", "How do I convert a Word document to HTML?"));
        assertEquals(0.0, roles("How do I convert my garage into a home gym?",
                "What's the best way to convert a garage to a gym at home?"));
        // two speakers asking the same of the same people
        assertEquals(0.0, roles("As a podcast host, how do I pitch myself to brands?",
                "As a YouTuber, how do I pitch myself to brands?"));
    }

    @Test
    void sigilsDiffer_otherNamesThroughASigil_isTrue_sameNamesOrOneSideOnly_isFalse() {
        BiPredicate<String, String> differs = (a, b) -> RequestShape.sigilsDiffer(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.sigilsDiffer(TextFeatures.of(b), TextFeatures.of(a));
        // a make function for a make variable, in other words around them (round AC's stream served this)
        assertTrue(differs.test("What does $(call) do in GNU make?", "What is $(MAKE) used for in a Makefile?"));
        assertTrue(differs.test("mongodb $set nested field", "mongodb $unset nested field"));
        assertTrue(differs.test("bash $@ vs $* difference", "bash $# vs $? difference"));
        // one variable, with or without braces, in either case
        assertFalse(differs.test("echo $HOME in a script", "why does echo ${home} print nothing"));
        // one side names it, the other describes it
        assertFalse(differs.test("What does $(shell) do in a Makefile?", "How do I run a shell command inside a Makefile?"));
        // money is no sigil, and a placeholder inside a longer word is the writer's own name
        assertFalse(differs.test("Is a $500 budget enough?", "Is a $600 budget enough?"));
        assertFalse(differs.test("tailwind dynamic class names bg-${color}-500 not generated",
                "Tailwind classes built like `text-${size}` produce no CSS"));
    }

    @Test
    void otherPoleAdded_bothAskedOfOne_isTrue_oneAskedOfBothOrNoOpposite_isFalse() {
        BiPredicate<String, String> added = (query, stored) ->
                RequestShape.otherPoleAdded(TextFeatures.of(query), TextFeatures.of(stored));
        // round AC served the first pair's answer
        assertTrue(added.test("What are the pros and cons of switching to cloth diapers to reduce waste?",
                "What are the pros of switching to cloth diapers to reduce waste?"));
        assertTrue(added.test("Should I take a nap before or after a night shift?", "Should I take a nap after a night shift?"));
        // the small words differ as well (a calibration-stream wrong hit)
        assertTrue(added.test("What are the advantages and disadvantages of an informal economy?",
                "What are some advantages of the informal economy?"));
        assertFalse(added.test("What are some advantages of the informal economy?",
                "What are the advantages and disadvantages of an informal economy?"));
        // the stored answer covers what is asked, and more
        assertFalse(added.test("What are the pros of switching to cloth diapers to reduce waste?",
                "What are the pros and cons of switching to cloth diapers to reduce waste?"));
        // a second thing that is no opposite, and both sides weighing both poles
        assertFalse(added.test("Is it safe for cats and dogs?", "Is it safe for cats?"));
        assertFalse(added.test("the pros and cons of remote work", "pros and cons of remote work"));
    }

    @Test
    void measuresDiffer_rankedByAnotherKindOfMeasure_isTrue_theSameKindOrNoMeasure_isFalse() {
        BiPredicate<String, String> differ = (a, b) -> RequestShape.measuresDiffer(TextFeatures.of(a), TextFeatures.of(b));
        // rounds AH and AI served the first two pairs' answers
        assertTrue(differ.test("What's the record for the longest roller coaster by track length?",
                "What's the record for the longest roller coaster by ride duration?"));
        assertTrue(differ.test("What is the world record for the longest paper airplane flight by distance?",
                "What is the world record for the longest paper airplane flight by time aloft?"));
        assertTrue(differ.test("ls sort files by modification time", "ls sort files by size"));
        // one kind said two ways, a measure on one side only, and "by the time" as when
        assertFalse(differ.test("the largest lake by surface area", "the largest lake by area"));
        assertFalse(differ.test("the largest lake by area", "the largest lake in Africa"));
        assertFalse(differ.test("What should I pack by the time winter comes?", "What should I pack by the number of days?"));
    }

    @Test
    void preventionTurned_keptFromDoingAgainstMadeToDo_isTrue_mendingOrHoldingBackBoth_isFalse() {
        BiPredicate<String, String> turned = (a, b) -> RequestShape.preventionTurned(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.preventionTurned(TextFeatures.of(b), TextFeatures.of(a));
        // round AJ served the first pair's answer
        assertTrue(turned.test("How do I stop Pandoc from converting straight quotes to curly quotes?",
                "How do I make Pandoc convert straight quotes to curly quotes?"));
        assertTrue(turned.test("How do I stop users from logging in with their email address in Keycloak?",
                "How do I let users log in with their email address in Keycloak?"));
        assertTrue(turned.test("How do I stop npm from using the HTTP proxy I configured?",
                "How do I configure npm to use an HTTP proxy?"));
        // the other text mends, holds back or negates too; or has nothing done at all
        assertFalse(turned.test("How do I stop my leather boots from squeaking?",
                "my leather boots squeak every time i walk, how do i make them quiet or fix that"));
        assertFalse(turned.test("How can I keep my nose from getting stuffy at night?",
                "How do I get my nose to stop getting stuffy at night?"));
        assertFalse(turned.test("How do I prevent my clothes from smelling like smoke?",
                "How can I get rid of the smoke smell my clothes have?"));
        assertFalse(turned.test("How do I stop Pandoc from converting quotes?", "How does Pandoc convert quotes?"));
    }

    @Test
    void inOutTurned_aWayInAgainstAWayOut_isTrue_otherWordsOrBothWays_isFalse() {
        BiPredicate<String, String> turned = (a, b) -> RequestShape.inOutTurned(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.inOutTurned(TextFeatures.of(b), TextFeatures.of(a));
        // round AN served the first pair's answer
        assertTrue(turned.test("How do you get into a knee hang on a static trapeze?",
                "How do you get out of a knee hang on a static trapeze?"));
        assertTrue(turned.test("Spring Security: log a user out programmatically", "Spring Security: log a user in programmatically"));
        assertTrue(turned.test("What should I check during the move-in inspection?", "What should I check during the move-out inspection?"));
        // another word changed beside it, or no way out
        assertFalse(turned.test("How do you get into a knee hang?", "How do you fall out of a knee hang?"));
        assertFalse(turned.test("How do I log in to Gitea?", "How do I sign in to Gitea?"));
        assertFalse(turned.test("What to pack for a trip in May?", "What to pack for a trip on May 3?"));
    }

    @Test
    void eraAgainstNow_aNamedTimeAgainstThePresent_isTrue_bothOrADate_isFalse() {
        BiPredicate<String, String> differ = (a, b) -> RequestShape.eraAgainstNow(TextFeatures.of(a), TextFeatures.of(b));
        // round AQ served the first pair's answer
        assertTrue(differ.test("How did natural history museums collect specimens in the 19th century?",
                "How do natural history museums collect specimens today?"));
        assertTrue(differ.test("What are the best eyeglass brands in 2014?", "What are the most fashionable eyeglass brands these days?"));
        assertTrue(differ.test("How was bread baked in ancient Egypt?", "How is bread baked in Egypt nowadays?"));
        // round AT served this one
        assertTrue(differ.test("What was kulning traditionally used for on Scandinavian summer farms?",
                "What is kulning used for on Scandinavian summer farms today?"));
        // both times on one side, a time on one side only, or a year written in a date
        assertFalse(differ.test("How has the city changed since 1990, and what is it like today?",
                "What is the city like today compared with 1990?"));
        assertFalse(differ.test("What is the best smartphone right now?", "Which smartphone is best currently?"));
        assertFalse(differ.test("How do I get the current date in Python, formatted like 2024-01-31?",
                "python: print today's date as YYYY-MM-DD"));
    }

    @Test
    void wholeAgainstPart_aThingWholeAgainstAPartOfIt_isTrue_everyPartOrBothWhole_isFalse() {
        BiPredicate<String, String> differ = (a, b) -> RequestShape.wholeAgainstPart(TextFeatures.of(a), TextFeatures.of(b));
        // round AR served the first pair's answer
        assertTrue(differ.test("How do I leave a faceted knife finish on the handle of my spoon?",
                "How do I leave a faceted knife finish on my whole spoon?"));
        assertTrue(differ.test("Find the typos throughout my whole essay on kelp forests.",
                "Find the typo in the first paragraph of my essay on kelp forests."));
        // every part is the whole; the part named on both sides; both take it whole
        assertFalse(differ.test("The map() function can apply transforms over an entire dataset.",
                "The map() function applies transformations to all elements of a dataset."));
        assertFalse(differ.test("What is the price of my whole car?", "What is the price of my car?"));
        assertFalse(differ.test("Rewrite my entire cover letter.", "Rewrite the whole of my cover letter."));
    }

    @Test
    void quotesDiffer_theSameQuestionAboutOtherQuotes_isTrue_aQuoteReworded_isFalse() {
        BiPredicate<String, String> differ = (a, b) -> RequestShape.quotesDiffer(TextFeatures.of(a), TextFeatures.of(b));
        // round AS served the first pair's answer
        assertTrue(differ.test("Ollama error: 'model not found, try pulling it first'", "Ollama error: 'unknown model architecture'"));
        assertTrue(differ.test("Grafana shows \"origin not allowed\" after upgrading, how to fix?",
                "Grafana shows \"database is locked\" after upgrading, how to fix?"));
        assertTrue(differ.test("SSH fails with `Permission denied (publickey)`", "SSH fails with `Host key verification failed`"));
        // the same quote, a quote on one side only, apostrophes, quotes set for TeX, other words around the quotes
        assertFalse(differ.test("Ollama error 'model not found' after pull", "ollama says 'model not found' even though I pulled it"));
        assertFalse(differ.test("What does 'max children reached' mean?", "What does max children reached mean on PHP-FPM?"));
        assertFalse(differ.test("Why don't my builds cache layers when it's a CI run?", "Why won't my builds reuse layers when it's on CI?"));
        assertFalse(differ.test("In the history of such devices , it succeeded `` The Turk '' and preceded `` Mephisto '' .",
                "In the history of such devices '' The Turk `` and '' Mephisto `` succeeded ."));
        assertFalse(differ.test("How do I say 'I'm allergic to peanuts' in Thai?", "Thai translation for \"I have a peanut allergy\"?"));
    }

    @Test
    void timeUnitsDiffer_aTimeAskedInAnotherUnit_isTrue_oneSideOrSharedUnits_isFalse() {
        BiPredicate<String, String> differ = (a, b) -> RequestShape.timeUnitsDiffer(TextFeatures.of(a), TextFeatures.of(b));
        // round AN served the first pair's answer
        assertTrue(differ.test("Express the length of a sidereal day in hours and minutes.",
                "Express the length of a sidereal day in seconds."));
        assertTrue(differ.test("java get current timestamp in milliseconds", "java get current unix timestamp in seconds"));
        // a unit on one side only, or one shared
        assertFalse(differ.test("How many hours of sleep does a teenager need per night?",
                "what's the recommended nightly sleep for teens, in hours?"));
        assertFalse(differ.test("uptime in hours and minutes", "uptime in minutes"));
        assertFalse(differ.test("How do I get fit in 30 days?", "How do I get fit in a month?"));
    }

    @Test
    void endingInserted_stopBeforeTheVerb_isTrue_startOrOtherWords_isFalse() {
        BiPredicate<String, String> ending = (a, b) -> RequestShape.endingInserted(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.endingInserted(TextFeatures.of(b), TextFeatures.of(a));
        // round AC served the first pair's answer
        assertTrue(ending.test("How do I make Meson treat compiler warnings as errors?",
                "How do I make Meson stop treating compiler warnings as errors?"));
        assertTrue(ending.test("How do I make Vim wrap long lines visually?", "How do I make Vim stop wrapping long lines visually?"));
        // starting to do a thing is doing it
        assertFalse(ending.test("How do I use git?", "How do I start using git?"));
        // "stop" put in with another change besides
        assertFalse(ending.test("How do I make Vim wrap long lines?", "How do I make Emacs stop wrapping long lines?"));
    }

    @Test
    void codeDiffers_otherCodeInTheSameFrame_isTrue_codeReadOrWordedAlike_isFalse() {
        BiPredicate<String, String> differs = (a, b) -> RequestShape.codeDiffers(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.codeDiffers(TextFeatures.of(b), TextFeatures.of(a));
        // one piece of code in common, another changed
        assertTrue(differs.test("python `dict.get(key, default)` vs `dict[key]` difference",
                "python `dict.get(key, default)` vs `dict.setdefault(key, default)` difference"));
        assertTrue(differs.test("mongodb `$push` vs `$addToSet` difference",
                "mongodb `$push` vs `$set` difference on an array field"));
        // the same words around other code, three backticks read as one
        assertTrue(differs.test("typescript what does `as const` do", "typescript what does ```satisfies``` do"));
        // the same code, spaced otherwise
        assertFalse(differs.test("What does `git rebase  -i` do?", "What does `git rebase -i` do?"));
        // other code in other words, which may well be the same question
        assertFalse(differs.test("rust cannot borrow `v` as mutable because it is also borrowed as immutable",
                "Why does `for x in &v { v.push(*x); }` fail with error[E0502] in Rust?"));
        // two backticks open a quotation, not code
        assertFalse(differs.test("The album produced two singles , `` Dancing the Groove '' and `` Obey Alone '' .",
                "The album produced two singles , `` Dance the Groove '' and `` Obey Alone '' ."));
        // code quoted on one side only
        assertFalse(differs.test("What does `git stash` do?", "What does git stash pop do?"));
    }

    private static double movement(String a, String b) {
        return Symmetric.flag(RequestShape::movementReversed, a, b);
    }

    @Test
    void movementReversed_whereOneTextTakesFromAndTheOtherPuts_isOne() {
        // each end named in other words, one of them in both
        assertEquals(1.0, movement("How do I copy a file from the host into a Docker container?",
                "How can I copy files out of a docker container onto my machine?"));
        // one end named in each
        assertEquals(1.0, movement("copy files into a pod", "copy files from a pod"));
        assertEquals(1.0, movement("How do I upload a file to S3?", "How do I download a file from S3?"));
        // backups and snapshots move data too
        assertEquals(1.0, movement("elasticsearch snapshot an index to s3", "elasticsearch restore an index from s3 snapshot"));
        assertEquals(1.0, movement("godot save game data to a file", "godot load game data from a file"));
        assertEquals(1.0, movement("How do I create a new conda environment from an environment.yml file?",
                "How do I export my current conda environment to an environment.yml file?"));
        // a "to" after a named source is a destination with no moving verb
        assertEquals(1.0, movement("How do I go from the airport to the hotel?", "How do I get to the airport from the hotel?"));
        // what a conversion starts from is a source, in any words
        assertEquals(1.0, movement("java convert list to array", "How to convert an array to an ArrayList in Java?"));
        // an "out" and an "of" in two clauses name no source
        assertEquals(1.0, movement("I ran out, of course, so how do I copy my files to S3?", "copy files from S3"));
        // both ends crossed, whatever else the two ends share ("column")
        assertEquals(1.0, movement("pandas: convert a string column to datetime",
                "pandas: convert a datetime column to formatted strings"));
        // and read through the directions check
        assertEquals(1.0, roles("copy files into a pod", "copy files from a pod"));
    }

    @Test
    void movementReversed_theSameWayOrNoWay_isZero() {
        // the same source in both, the destinations differ in words only
        assertEquals(0.0, movement("How do I download videos from YouTube from my iPhone?",
                "How do I download video from YouTube to iPhone?"));
        // the same words at the same ends, the second naming a source as well
        assertEquals(0.0, movement("How do I pass data from a child component to its parent in React?",
                "In React, what's the way to send a value up from a child to the parent component?"));
        // "another" names no end
        assertEquals(0.0, movement("Is there an easy way to transfer Google Authenticator codes to a new device?",
                "How do I transfer my Google Authenticator data from one device to another?"));
        // a "to" that says how near, and a "to" with nothing moving
        assertEquals(0.0, movement("list the planets in order from the sun",
                "What order are the planets in, starting from the one closest to the Sun?"));
        assertEquals(0.0, movement("What percentile do I need to score to get calls from IIMs?",
                "What is the minimum percentile in the CAT to get into any of the IIMs?"));
        // a "turn" with no "into" makes nothing of anything
        assertEquals(0.0, movement("How do I turn my photos sideways?", "How do I copy files to my photos folder?"));
        // a distance makes the order no matter
        assertEquals(0.0, movement("What is the distance from Paris to Lyon?", "How far is it to Paris from Lyon?"));
    }

    private static boolean compound(String a, String b) {
        return RequestShape.compoundInserted(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.compoundInserted(TextFeatures.of(b), TextFeatures.of(a));
    }

    @Test
    void compoundInserted_aHyphenatedModifierPutIn_isTrue() {
        assertEquals(true, compound("Body language tips for presentations?", "Body language tips for video-call presentations?"));
        assertEquals(true, compound("What causes noise in audio amplifiers?", "What causes noise in class-D audio amplifiers?"));
        assertEquals(true, compound("Give me a bread recipe.", "Give me a gluten-free bread recipe."));
    }

    @Test
    void compoundInserted_aNameANumberAListOrAWord_isFalse() {
        assertEquals(false, compound("Who won the third debate?", "Who won the third Trump-Clinton debate?"));
        assertEquals(false, compound("Can someone with an average IQ win a Nobel prize?",
                "Can someone with an average IQ (90-109) win a Nobel prize?"));
        assertEquals(false, compound("Where can I get good quality kids books online?",
                "Where can I get well-written, good quality kids books online?"));
        assertEquals(false, compound("What threats do sea turtles face?", "What threats do leatherback sea turtles face?"));
        assertEquals(false, compound("Give me a bread recipe.", "Give me a bread recipe."));
    }

    private static boolean askedOther(String a, String b) {
        return RequestShape.askedOtherThing(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.askedOtherThing(TextFeatures.of(b), TextFeatures.of(a));
    }

    @Test
    void askedOtherThing_aTimePlaceOrPersonForAMannerOrReason_isTrue() {
        assertEquals(true, askedOther("How did Hitler die?", "Where did Hitler die?"));
        assertEquals(true, askedOther("When were public libraries first created?", "Why were public libraries first created?"));
        assertEquals(true, askedOther("Where is Robert Frost?", "Who is Robert Frost?"));
    }

    @Test
    void askedOtherThing_theAskersWayWhatOrOtherWords_isFalse() {
        // "where can I" and "how can I" ask the same often enough
        assertEquals(false, askedOther("How can I learn to sing online?", "Where can I learn to sing online?"));
        assertEquals(false, askedOther("When should I start preparing for SSC CGL?", "How should I start preparing for SSC CGL?"));
        assertEquals(false, askedOther("What is the best time to visit India?", "When is the best time to visit India?"));
        assertEquals(false, askedOther("How did Hitler die?", "Where did Hitler live?"));
        assertEquals(false, askedOther("How did Hitler die?", "How did Hitler die?"));
    }

    @Test
    void conditionTurned_evenIfAgainstOnlyIf() {
        // round BF served this pair
        assertEquals(true, RequestShape.conditionTurned(TextFeatures.of("How do I make a Buildkite step run even if the previous step failed?"),
                TextFeatures.of("How do I make a Buildkite step run only if the previous step failed?")));
        assertEquals(false, RequestShape.conditionTurned(TextFeatures.of("run a step only if a previous step failed"),
                TextFeatures.of("run a step when, and only if, a previous step failed")));
        // a text that says both is left alone
        assertEquals(false, RequestShape.conditionTurned(TextFeatures.of("run it only if tests pass, even if lint fails"),
                TextFeatures.of("run it only if tests pass")));
    }

    private static boolean anotherFact(String a, String b) {
        return RequestShape.askedAnotherFact(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.askedAnotherFact(TextFeatures.of(b), TextFeatures.of(a));
    }

    @Test
    void askedAnotherFact_whenAgainstWhereOrWho_isTrue() {
        // rounds AY and BB served these pairs
        assertEquals(true, anotherFact("In which year did David Brewster patent the kaleidoscope?",
                "In which country did David Brewster patent the kaleidoscope?"));
        assertEquals(true, anotherFact("Who founded the first Oxfam shop on Broad Street in Oxford?",
                "When did the first Oxfam shop on Broad Street in Oxford open?"));
        assertEquals(true, anotherFact("When was the first forklift truck invented?", "Where was the first forklift truck invented?"));
    }

    @Test
    void askedAnotherFact_whoAgainstWhere_isTrueUnlessSomeoneToGoToIsSought() {
        // round BH served the first pair
        assertEquals(true, anotherFact("Who invented the isolation tank?", "Where was the isolation tank invented?"));
        assertEquals(true, anotherFact("Who is Robert Frost?", "Where is Robert Frost?"));
        assertEquals(false, anotherFact("Who is the best immigration consultant in India?",
                "Where can I find the best immigration consultant in India?"));
        assertEquals(false, anotherFact("Who sells good sourdough bread in Leeds?", "Where can I buy good sourdough bread in Leeds?"));
        // "which country" names its answer as "who" does, and asks no place
        assertEquals(false, anotherFact("Who is more powerful, India or Pakistan?",
                "Which country is more powerful, India or Pakistan?"));
    }

    @Test
    void askedAnotherFact_whoAgainstWhereTwoQuestionsOrOtherWords_isFalse() {
        assertEquals(false, anotherFact("Who invented the printing press and when?", "When was the printing press invented, and by whom?"));
        assertEquals(false, anotherFact("When was the wheel invented?", "Where did people first ride horses?"));
        assertEquals(false, anotherFact("When was the wheel invented?", "When was the wheel invented?"));
    }

    private static boolean nameChanged(String a, String b) {
        return RequestShape.joinedNameChanged(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.joinedNameChanged(TextFeatures.of(b), TextFeatures.of(a));
    }

    @Test
    void joinedNameChanged_aPartOfALongNamePutInLeftOutOrChanged_isTrue() {
        // round BL served the first
        assertEquals(true, nameChanged("What causes err-mimir-missing-metric-name in Mimir?",
                "What causes err-mimir-metric-name-invalid in Mimir?"));
        assertEquals(true, nameChanged("s3 static website endpoint format us-east-1", "s3 static website endpoint format eu-central-1"));
        assertEquals(true, nameChanged("How does fiber-to-the-home get installed?", "How does fiber-to-the-curb get installed?"));
        // names joined by underscores, of two parts too (round BM served the first)
        assertEquals(true, nameChanged("What does similarity_search_with_score return for LangChain's Chroma vectorstore?",
                "What does similarity_search_with_relevance_scores return for LangChain's Chroma vectorstore?"));
        assertEquals(true, nameChanged("How to set flush_interval in Telegraf?", "How to set flush_jitter in Telegraf?"));
        assertEquals(true, nameChanged("What does ZMQ_RECONNECT_IVL control in ZeroMQ?", "What does ZMQ_RECONNECT_IVL_MAX control in ZeroMQ?"));
    }

    @Test
    void joinedNameChanged_shortCompoundsOrOtherWordsChanged_isFalse() {
        // two parts are a word, left to the checks of words
        assertEquals(false, nameChanged("How do I make a read-only volume?", "How do I make a read-write volume?"));
        // a word beside the name changed too
        assertEquals(false, nameChanged("How do I fix err-mimir-label-value-too-long in Mimir?",
                "Why do I get err-mimir-max-label-names-per-series in Mimir?"));
        assertEquals(false, nameChanged("How to set flush_interval in Telegraf?", "Why is flush_jitter ignored in Telegraf?"));
        assertEquals(false, nameChanged("Give me a step-by-step guide to pruning roses.", "Give me a step-by-step guide to pruning roses."));
        assertEquals(false, nameChanged("Give me a step-by-step guide to pruning roses.", "Give me a step-by-step guide to pruning apple trees."));
    }

    private static boolean ownersPart(String a, String b) {
        return RequestShape.ownersPartNamed(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.ownersPartNamed(TextFeatures.of(b), TextFeatures.of(a));
    }

    @Test
    void ownersPartNamed_aPartOrPersonOfTheThing_isTrue() {
        // round BM served the first
        assertEquals(true, ownersPart("What does the bosun do on a tall ship?", "What does the bosun's mate do on a tall ship?"));
        assertEquals(true, ownersPart("How do I clean and maintain a paintball marker?",
                "How do I clean and maintain a paintball marker’s bolt?"));
    }

    @Test
    void ownersPartNamed_theThingAloneOrAnotherOwner_isFalse() {
        // the owner's "'s" put in without a part after it is the same thing
        assertEquals(false, ownersPart("What does the bosun do on a tall ship?", "What does a ship's bosun do?"));
        assertEquals(false, ownersPart("What does the bosun's mate do on a tall ship?",
                "What does the captain's mate do on a tall ship?"));
        assertEquals(false, ownersPart("Describe the anatomy of a trilobite.", "Describe the anatomy of a trilobite."));
    }

    private static boolean sameOrOther(String a, String b) {
        return RequestShape.sameAgainstOther(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.sameAgainstOther(TextFeatures.of(b), TextFeatures.of(a));
    }

    @Test
    void sameAgainstOther_theSameOneAgainstAnother_isTrue() {
        // round BQ served the first
        assertEquals(true, sameOrOther("Is 3 feet enough spacing between hop plants of the same variety?",
                "Is 3 feet enough spacing between hop plants of different varieties?"));
        assertEquals(true, sameOrOther("How do I restore a FoundationDB backup into the same cluster with fdbrestore?",
                "How do I restore a FoundationDB backup into a different cluster with fdbrestore?"));
    }

    @Test
    void sameAgainstOther_moreChangedOrNeitherWord_isFalse() {
        assertEquals(false, sameOrOther("Is a play yard the same thing as a playpen?", "playpen vs play yard, are they actually different things?"));
        assertEquals(false, sameOrOther("restore a backup into the same cluster", "restore a backup into the same cluster"));
        assertEquals(false, sameOrOther("restore a backup into the same cluster", "restore a backup into a new cluster"));
    }

    private static boolean placeMoved(String a, String b) {
        return RequestShape.placeMoved(TextFeatures.of(a), TextFeatures.of(b))
                && RequestShape.placeMoved(TextFeatures.of(b), TextFeatures.of(a));
    }

    @Test
    void placeMoved_anotherPlaceOnTheThing_isTrue() {
        // round BJ served the first two
        assertEquals(true, placeMoved("How do I respond when my opponent attaches on top of my 4-4 stone?",
                "How do I respond when my opponent attaches underneath my 4-4 stone?"));
        assertEquals(true, placeMoved("Casbin: does keyMatch support a * wildcard in the middle of the path?",
                "Casbin: does keyMatch support a * wildcard at the end of the path?"));
        assertEquals(true, placeMoved("Zellij: open a new pane to the right", "Zellij: open a new pane below"));
        assertEquals(true, placeMoved("How do I align flex items to the right end of a row?",
                "How do I align flex items to the bottom of a row?"));
    }

    @Test
    void placeMoved_onePlaceInOtherWordsOrAnotherWordChanged_isFalse() {
        assertEquals(false, placeMoved("Where should I put the stone in the middle of the board?",
                "Where should I put the stone in the centre of the board?"));
        assertEquals(false, placeMoved("Recommend a tent below $300.", "Recommend a tent under $300."));
        // the stretch holds a word that names no place
        assertEquals(false, placeMoved("How do I put a logo at the top of every page?",
                "How do I put a logo in the header of every page?"));
        // a place put in, none taken out
        assertEquals(false, placeMoved("How do I add a border to a table?", "How do I add a border to the top of a table?"));
        assertEquals(false, placeMoved("Open a new pane to the right", "Open a new pane to the right"));
    }

    @Test
    void negatedInSpan_aThingSetApartAgainstTheSameAskedFor() {
        assertEquals(true, setApart("What are some easy pre-race foods other than bananas?",
                "What are some easy pre-race foods like bananas?"));
        assertEquals(true, setApart("Quiz me on all the US state capitals except those in New England.",
                "Quiz me on all the US state capitals in New England."));
        assertEquals(true, setApart("How do I add a bottom margin to every list item except the last one?",
                "How do I add a bottom margin to only the last list item?"));
        // set apart on both sides, in other words
        assertEquals(false, setApart("What are some easy pre-race foods other than bananas?",
                "Besides bananas, what are some easy foods to eat before a race?"));
    }

    private static boolean setApart(String a, String b) {
        return RequestShape.negatedInSpan(TextFeatures.of(a), TextFeatures.of(b));
    }

    @Test
    void negatedInSpan_aThingAskedForAgainstTheSameLeftOut() {
        assertTrue(RequestShape.negatedInSpan(TextFeatures.of("Make a world capitals quiz with 20 questions and an answer key."),
                TextFeatures.of("Make a world capitals quiz with 20 questions, no answer key.")));
        assertTrue(RequestShape.negatedInSpan(TextFeatures.of("Create a 10-question quiz on music theory intervals with the answers."),
                TextFeatures.of("Create a 10-question quiz on music theory intervals, leaving out the answers.")));
        assertTrue(RequestShape.negatedInSpan(TextFeatures.of("Make a numbered list of the 10 largest countries by area, no table."),
                TextFeatures.of("Make a table of the 10 largest countries by area.")));
        assertTrue(RequestShape.negatedInSpan(
                TextFeatures.of("Write a bash one-liner to find all files larger than 100MB in the current directory and its subdirectories."),
                TextFeatures.of("Write a bash one-liner to find all files larger than 100MB in the current directory only, without descending into subdirectories.")));
        // both leave it out, a bound is no negation, the left-out thing is not the one asked for
        assertFalse(RequestShape.negatedInSpan(TextFeatures.of("Implement binary search in Java without recursion."),
                TextFeatures.of("binary search in java, no recursion")));
        assertFalse(RequestShape.negatedInSpan(TextFeatures.of("Summarize this review in 20 words or fewer."),
                TextFeatures.of("In no more than 20 words, summarize this review.")));
        assertFalse(RequestShape.negatedInSpan(TextFeatures.of("Explain travel insurance in simple terms."),
                TextFeatures.of("What does travel insurance cover? Keep it simple, no insurance lingo.")));
        assertFalse(RequestShape.negatedInSpan(TextFeatures.of("Why doesn't PMMA dissolve in water?"),
                TextFeatures.of("Why doesn\u2019t PMMA dissolve in water?")));
    }

    @Test
    void negatedInSpan_aNegationJoinedToItsVerb_orWrittenOut_isTheSame() {
        assertFalse(RequestShape.negatedInSpan(TextFeatures.of("Why does docker build not pick up changes to my requirements.txt?"),
                TextFeatures.of("Why doesn't docker build pick up changes to my requirements.txt?")));
        assertFalse(RequestShape.negatedInSpan(TextFeatures.of("Why is my useState update not reflected immediately after calling setState?"),
                TextFeatures.of("Why isn\u2019t my useState update reflected immediately after calling setState?")));
        // a "not" moved to another verb, neither joined: still a negated span
        assertTrue(RequestShape.negatedInSpan(TextFeatures.of("Is it possible to not have mental illness and be insane?"),
                TextFeatures.of("Is it possible to have mental illness and not be insane?")));
    }

    @Test
    void symbolsDiffer_theSameWordsWithAnotherOperator() {
        assertTrue(RequestShape.symbolsDiffer(TextFeatures.of("What does the -> operator return on a jsonb column?"),
                TextFeatures.of("What does the ->> operator return on a jsonb column?")));
        assertTrue(RequestShape.symbolsDiffer(TextFeatures.of("What does %timeit measure in a Jupyter cell?"),
                TextFeatures.of("What does %%timeit measure in a Jupyter cell?")));
        assertTrue(RequestShape.symbolsDiffer(TextFeatures.of("Is C++ good for games?"), TextFeatures.of("Is C# good for games?")));
        // dashes of a range, a caret for a power, marks after the last word, hyphens joining words
        assertFalse(RequestShape.symbolsDiffer(TextFeatures.of("Over 12 million people live along the Melbourne -- Sydney rail corridor."),
                TextFeatures.of("Over 12 million people live along the Melbourne - Sydney rail corridor.")));
        assertFalse(RequestShape.symbolsDiffer(TextFeatures.of("What did you enjoy most in your studies?"),
                TextFeatures.of("What did you enjoy most in your studies? *")));
        assertFalse(RequestShape.symbolsDiffer(TextFeatures.of("What is 1x10-12 in decimal?"), TextFeatures.of("What is 1x10^-12 in decimal?")));
        assertFalse(RequestShape.symbolsDiffer(TextFeatures.of("Is it well-known?"), TextFeatures.of("Is it well known?")));
    }

    @Test
    void symbolsDiffer_theSameWordsWithAFormulaBracketedOtherwise() {
        assertTrue(RequestShape.symbolsDiffer(TextFeatures.of("Check my work: I said the derivative of ln(x^2) is 2/x. Am I right?"),
                TextFeatures.of("Check my work: I said the derivative of (ln x)^2 is 2/x. Am I right?")));
        assertTrue(RequestShape.symbolsDiffer(TextFeatures.of("Expand (a+b)^2 step by step."), TextFeatures.of("Expand a+b^2 step by step.")));
        assertFalse(RequestShape.symbolsDiffer(TextFeatures.of("Simplify (x+1)(x-1)."), TextFeatures.of("simplify (x + 1)(x - 1)")));
        // brackets around words are an aside, put in or left out alike
        assertFalse(RequestShape.symbolsDiffer(TextFeatures.of("What should men do (and not do) to support women in tech?"),
                TextFeatures.of("What should men do and not do to support women in tech?")));
    }

    @Test
    void errorsDiffer_twoErrorsNamed_isTrue_oneErrorOrNoneNamedOnASide_isFalse() {
        BiPredicate<String, String> differ = (a, b) -> RequestShape.errorsDiffer(TextFeatures.of(a), TextFeatures.of(b));
        assertTrue(differ.test("ReferenceError: require is not defined in ES module scope, how to fix in Node?",
                "Error [ERR_REQUIRE_ESM]: require() of ES Module not supported, how to fix in Node?"));
        assertTrue(differ.test("python ModuleNotFoundError when running a script", "python ImportError when running a script"));
        assertTrue(differ.test("node listen EADDRINUSE on port 3000", "node listen EACCES on port 3000"));
        // the same error in other words, or described on one side only
        assertFalse(differ.test("Why do I get a TypeError: 'NoneType' object is not subscriptable?",
                "python TypeError NoneType object not subscriptable fix"));
        assertFalse(differ.test("python ModuleNotFoundError when running a script",
                "python says no module named requests when I run my script"));
        // "error" alone names no error, nor does "terror"
        assertFalse(differ.test("What does this error mean?", "What does this warning mean?"));
        assertFalse(differ.test("Why did the terror attack happen?", "Why did the TypeError happen?"));
    }
}
