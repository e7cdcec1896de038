package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.match.WordRelations.Relation;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class WordRelationsTest {

    @Test
    void relations_fromWordNet() {
        assertTrue(WordRelations.load(), "the WordNet data jar is on the classpath");
        // read from files unpacked to disk, not held in the heap
        assertTrue(java.nio.file.Files.isRegularFile(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "bound-wordnet-3.1-" + System.getProperty("user.name"), "data.noun")));
        assertEquals(Relation.SAME, WordRelations.of("kids", "children"));
        assertEquals(Relation.RELATED, WordRelations.of("benefits", "advantages"));
        assertEquals(Relation.OPPOSITE, WordRelations.of("outer", "inner"));
        assertEquals(Relation.OPPOSITE, WordRelations.of("start", "end"));
        assertEquals(Relation.NEIGHBOUR, WordRelations.of("pine", "oak"));
        assertEquals(Relation.NEIGHBOUR, WordRelations.of("bike", "scooter"));
        assertEquals(Relation.UNRELATED, WordRelations.of("velvet", "leather"));
        assertEquals(Relation.UNRELATED, WordRelations.of("cows", "calves"));
        assertEquals(Relation.UNLISTED, WordRelations.of("labelledby", "describedby"));
        // adjectives WordNet does not link say nothing: "rude" / "disrespectful" is a rewording
        assertEquals(Relation.UNKNOWN, WordRelations.of("rude", "disrespectful"));
        assertFalse(WordRelations.of("rude", "disrespectful").changesMeaning());
    }

    @Test
    void adverbs_areOpposite_whereTheAdjectivesTheyComeFromAre() {
        // WordNet files no opposite between the adverbs, only between "vertical" and "horizontal"
        assertEquals(Relation.OPPOSITE, WordRelations.of("vertically", "horizontally"));
        assertEquals(Relation.OPPOSITE, WordRelations.of("horizontally", "vertically"));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("How do I split a tmux window vertically?"),
                TextFeatures.of("How do I split a tmux window horizontally?")));
        // adverbs whose adjectives are no opposites keep the question
        assertFalse(WordRelations.of("frequently", "always").changesMeaning());
        assertFalse(WordRelations.of("quickly", "rapidly").changesMeaning());
    }

    @Test
    void relations_areSymmetric() {
        String[][] pairs = {{"kids", "children"}, {"benefits", "advantages"}, {"outer", "inner"}, {"pine", "oak"},
            {"velvet", "leather"}, {"rude", "disrespectful"}};
        for (String[] p : pairs) {
            assertEquals(WordRelations.of(p[0], p[1]), WordRelations.of(p[1], p[0]), p[0] + " / " + p[1]);
        }
    }

    @Test
    void oneWordChanged_toAnotherThing_isAnotherQuestion() {
        String[][] different = {
            {"How do I clean a velvet sofa?", "How do I clean a leather sofa?"},
            {"How much weight can a 36-inch pine shelf hold?", "How much weight can a 36-inch oak shelf hold?"},
            {"How should I store my e-bike battery over winter?", "How should I store my e-scooter battery over winter?"},
            {"How many points is the outer bull worth in darts?", "How many points is the inner bull worth in darts?"},
            {"What are common diseases of dairy cows?", "What are common diseases of dairy calves?"},
            // one word changed at every place it stands
            {"If Alice is taller than Bob and Bob is taller than Carol, who is shortest?",
                "If Alice is shorter than Bob and Bob is shorter than Carol, who is shortest?"},
            {"What's the difference between aria-label and aria-labelledby?",
                "What's the difference between aria-label and aria-describedby?"},
            // a name of one letter for another
            {"matplotlib log scale y axis", "matplotlib log scale x axis"},
            {"How would you describe gen y parents?", "How would you describe gen z parents?"},
            {"What are the pros and cons of Ballot Measure E?", "What are the pros and cons of Ballot Measure L?"},
            // another unit of time, which WordNet files in one sense
            {"snowflake datediff between two timestamps in hours", "snowflake datediff between two timestamps in minutes"},
            {"mysql group by month", "mysql group by week"},
            // a number in Roman numerals, a code of letters and digits, what to avoid for what to take
            {"Write a diary entry from a young soldier in the trenches during World War I.",
                "Write a diary entry from a young soldier in the trenches during World War II."},
            {"rust how to sort a Vec<f64>", "rust how to sort a Vec<i64>"},
            {"Which drinks should I have before bed to sleep better?", "Which drinks should I avoid before bed to sleep better?"},
        };
        assertOneWordChanged(1.0, different);
    }

    @Test
    void oneWordChanged_forTheSameThingOrATypo_isTheSameQuestion() {
        String[][] same = {
            {"What are the benefits of yoga for runners?", "What are the advantages of yoga for runners?"},
            {"What are good books for kids?", "What are good books for children?"},
            {"Why are people so rude online?", "Why are people so disrespectful online?"},
            {"Which contries have the best healthcare?", "Which countries have the best healthcare?"},
            {"Is this website legit?", "Is this website legitimate?"},
            // names are left to the name checks; stopwords and numbers to theirs
            {"Is Python good for data science?", "Is Julia good for data science?"},
            {"How do I learn French?", "Where do I learn French?"},
            // a letter for a word is not a letter for a letter
            {"Is vitamin D good for you?", "Is vitamin D good for u?"},
            {"How long does a 5 minute timer run?", "How long does a 5 min timer run?"},
            {"What does there's mean in this sentence?", "What does there'a mean in this sentence?"},
            // one number with another ordinal ending, a slip of the hand
            {"Who was the first 994nd grader to play?", "Who was the first 994th grader to play?"},
            // avoiding a thing is stopping it, not taking it
            {"How do I avoid overthinking at night?", "How do I stop overthinking at night?"},
            // two words changed is not one
            {"How do I clean a velvet sofa quickly?", "How do I clean a leather sofa fast?"},
        };
        assertOneWordChanged(0.0, same);
    }

    @Test
    void oneWordChanged_toItsNegatedForm_isAnotherQuestion() {
        // WordNet lists none of these pairs as opposites (most of the negated forms not at all), and
        // the edit count alone read the added prefix as a misspelling
        String[][] different = {
            {"node.js read file synchronously", "node.js read file asynchronously"},
            {"react run useEffect on mount", "react run useEffect on unmount"},
            {"How do I make a blocking socket call in Java?", "How do I make a nonblocking socket call in Java?"},
            {"How do I serialize a dataclass to JSON?", "How do I deserialize a dataclass to JSON?"},
            {"Is my S3 bucket encrypted by default?", "Is my S3 bucket unencrypted by default?"},
            {"How do I merge two sorted lists in Python?", "How do I merge two unsorted lists in Python?"},
        };
        assertOneWordChanged(1.0, different);
    }

    @Test
    void oneWordChanged_toANameInCodeAroundTheOpposite_isAnotherQuestion() {
        // a misspelling by its edit count, and no word WordNet lists
        String[][] different = {
            {"numpy argmax along each row", "numpy argmin along each row"},
            {"java priorityqueue as a maxheap", "java priorityqueue as a minheap"},
        };
        assertOneWordChanged(1.0, different);
        assertTrue(WordRelations.oppositeWithin("argmax", "argmin"));
        // letters in common on one side only, and inside the opposites ("max" / "min" share their "m")
        assertTrue(WordRelations.oppositeWithin("maxheap", "minheap"));
        // a misspelling, and opposites of a single letter
        assertFalse(WordRelations.oppositeWithin("argmax", "argmix"));
        assertFalse(WordRelations.oppositeWithin("mapi", "mapo"));
        // nothing in common around them: the word pair is the whole of both words
        assertFalse(WordRelations.oppositeWithin("max", "min"));
    }

    @Test
    void oneWordChanged_insideANameWrittenAsCode_isAnotherQuestion() {
        // WordNet links "pipe" and "pipeline", and "delete" and "purge"; as names in code they are two calls
        String[][] different = {
            {"How to handle errors with stream.pipe in Node", "How to handle errors with stream.pipeline in Node"},
            {"rabbitmqctl delete_queue orders", "rabbitmqctl purge_queue orders"},
            {"kafka producer acks=1 what happens if the leader dies", "kafka producer acks=all what happens if the leader dies"},
            {"What does auto.offset.reset=earliest do?", "What does auto.offset.reset=none do?"},
            {"react useEffect cleanup", "react useLayoutEffect cleanup"},
            // a name in code for a plain word spelt otherwise
            {"Does a dependency listed under dependencies in a parent POM get added to child modules automatically?",
                "Does a dependency listed under dependencyManagement in a parent POM get added to child modules automatically?"},
            {"How does Google make money through apps?", "How does Google make money through YouTube?"},
        };
        assertOneWordChanged(1.0, different);
        String[][] same = {
            // one side in code, the other in words: left to the other checks
            {"How do I use stream.pipe in Node?", "How do I use stream piping in Node?"},
            // a word cut short
            {"How do I sort a list of dictionaries by a value in Python?", "How do I sort a list of dicts by a value in Python?"},
            // a name in code with a letter more than the word, or a part of a dotted name for a short word
            {"How do I reset my iPhone?", "How do I reset my phone?"},
            {"How does CouponDunia actually work?", "How does coupondunia.in work?"},
            // "e.g." is no member, and "Vue 3" no code
            {"What is a closure, e.g. in JavaScript?", "What is a closure, i.e. in JavaScript?"},
        };
        assertOneWordChanged(0.0, same);
        assertEquals(TextFeatures.CODE_MARKED, TextFeatures.writtenAsCode("--release"));
        assertEquals(TextFeatures.CODE_MARKED, TextFeatures.writtenAsCode("-a"));
        assertEquals(TextFeatures.CODE_MARKED, TextFeatures.writtenAsCode("set_topic_permissions"));
        assertEquals(TextFeatures.CODE_MARKED, TextFeatures.writtenAsCode("/var/www"));
        assertEquals(TextFeatures.CODE_MARKED, TextFeatures.writtenAsCode("len()"));
        assertEquals(TextFeatures.CODE_NAME, TextFeatures.writtenAsCode("useEffect"));
        assertEquals(TextFeatures.CODE_NAME, TextFeatures.writtenAsCode("stream.pipe"));
        assertEquals(TextFeatures.NOT_CODE, TextFeatures.writtenAsCode("e.g"));
        assertEquals(TextFeatures.NOT_CODE, TextFeatures.writtenAsCode("-5"));
        assertEquals(TextFeatures.NOT_CODE, TextFeatures.writtenAsCode("well-known"));
        assertEquals(TextFeatures.NOT_CODE, TextFeatures.writtenAsCode("3.5"));
    }

    @Test
    void sameWords_butForCasePunctuationAndAsides() {
        assertTrue(WordRelations.sameWords("How to iterate over rows in a pandas DataFrame",
                "how to iterate over rows in a pandas dataframe?"));
        assertTrue(WordRelations.sameWords("How do I trigger a GitHub Actions workflow manually from the UI?",
                "Hi, how do I trigger a GitHub Actions workflow manually from the UI?"));
        assertTrue(WordRelations.sameWords("Quick question: how do I rename a local git branch?",
                "How do I rename a local git branch, please?"));
        assertTrue(WordRelations.sameWords("What does if __name__ == '__main__' do in Python?",
                "What does if __name__ == \"__main__\" actually do in Python?"));
        // other symbols, or the same symbols elsewhere
        assertFalse(WordRelations.sameWords("What's the difference between [ and [[ in bash?",
                "What's the difference between ( and (( in bash?"));
        assertFalse(WordRelations.sameWords("What does git diff main..feature show?", "What does git diff main...feature show?"));
        assertFalse(WordRelations.sameWords("undefined reference when calling a C function from C++ code",
                "undefined reference when calling a C++ function from C code"));
        assertFalse(WordRelations.sameWords("in graphql what does [String!]! mean", "in graphql what does [String]! mean"));
        // "just" may narrow what follows; a word put in is another check's
        assertFalse(WordRelations.sameWords("How can I stash one file in git?", "How can I stash just one file in git?"));
        assertFalse(WordRelations.sameWords("How do I list branches?", "How do I list remote branches?"));
        // an aside only as a word of its own
        assertTrue(WordRelations.sameWords("Hi! Which shell is this?", "which shell is this"));
        assertFalse(WordRelations.sameWords("What is the cache hit rate?", "What is the cache rate?"));
    }

    @Test
    void codeInserted_aFlagOrAPartOfAName_isAnotherQuestion() {
        String[][] different = {
            {"Where does cargo build --release put the compiled binary?", "Where does cargo build put the compiled binary?"},
            {"What does npm audit fix do?", "What does npm audit fix --force do?"},
            {"What does docker image prune delete by default?", "What does docker image prune -a delete by default?"},
            {"rabbitmqctl set_permissions for a user on a vhost", "rabbitmqctl set_topic_permissions for a user on a vhost"},
        };
        assertFlag(WordRelations::codeInserted, 1.0, different);
        String[][] same = {
            // a product's name put in is no flag: Quora asks these as duplicates
            {"What is it like to drive for Uber?", "What is it like to drive for Uber / UberX?"},
            {"What does Bootstrap.js do?", "What does Bootstrap do?"},
            // words put in, not code
            {"What does npm audit fix do?", "What does npm audit fix do exactly?"},
            // a flag put in and another word changed is not this check's
            {"cargo build put the binary where?", "cargo build --release puts the binary where?"},
        };
        assertFlag(WordRelations::codeInserted, 0.0, same);
    }

    @Test
    void spanSubstituted_inATechnicalQuestion_isAnotherQuestion() {
        String[][] different = {
            // a verb WordNet does not set apart
            {"systemctl restart service", "systemctl reload service"},
            // a span of other length, in a frame of half the words
            {"python get current time in UTC", "python get current time in local timezone"},
            {"chmod make file executable for owner only", "chmod make file executable for everyone"},
            {"How do I set my git username and email for just one repository?",
                "How do I set my git username and email globally?"},
        };
        assertFlag(WordRelations::spanSubstituted, 1.0, different);
        String[][] same = {
            // a word cut short, as developers write it
            {"How to read query parameters from the URL in React Router v6?", "How do I read query params from the URL in React Router v6?"},
            // no software named: Quora keeps the frame of such duplicates
            {"What is the best way to learn cooking?", "What is the fastest way to learn cooking?"},
            // one side only adds words, or says the same in WordNet's words or with a typo
            {"git delete a local branch", "git delete a local branch that was never merged"},
            {"How do I delete a directory in bash?", "How do I delete a folder in bash?"},
            {"How do I rename a git brnach?", "How do I rename a git branch?"},
            // a word written apart, and a request's opening verb
            {"In Java, how do I list all subclasses of a class?", "In Java, how do I list all sub-classes of a class?"},
            {"Create a Kotlin function that rotates a matrix by 90 degrees.",
                "Implement a function in Kotlin that rotates a matrix by 90 degrees."},
            // negations are the negation check's, however each is said
            {"docker container not starting", "docker container never starts"},
            // reworded beyond one span
            {"npm install specific version of a package", "How do I install an exact version of an npm package?"},
            {"How do I clone a specific branch with git?", "How can I git clone only one branch?"},
            {"cmake set c++ standard to 17", "How do I tell CMake to compile with C++17?"},
        };
        assertFlag(WordRelations::spanSubstituted, 0.0, same);
        // a software name, and an everyday verb left off the list
        assertTrue(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("systemctl restart service")));
        assertFalse(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("How do I react when my friend is upset?")));
    }

    @Test
    void wordInserted_intoAQuestionAboutSoftware_orARequest_narrowsIt() {
        String[][] different = {
            {"What does a TypeScript enum compile to in JavaScript?", "What does a TypeScript const enum compile to in JavaScript?"},
            {"pyspark left join two dataframes", "pyspark left anti join two dataframes"},
            {"npm uninstall package", "npm uninstall global package"},
            {"Suggest a few underrated Hitchcock films for a weekend marathon.", "Suggest a few Hitchcock films for a weekend marathon."},
            {"Recommend board games for family game night.", "Recommend cooperative board games for family game night."},
        };
        assertFlag(WordRelations::wordInserted, 1.0, different);
        String[][] same = {
            // praise, a verb in "-ing", a stopword, a negation (read by its own check), and no software named
            {"What are some AngularJS interview questions?", "What are some good AngularJS interview questions?"},
            {"What are the benefits of Python?", "What are the benefits of learning Python?"},
            {"git list branches", "git list all branches"},
            {"How do I show line numbers?", "How do I show relative line numbers?"},
            // a question that is not a request, where Quora puts words in as often as not
            {"What are a tenant's rights when the landlord sells the property?",
                "What are a commercial tenant's rights when the landlord sells the property?"},
            // praise put into a request
            {"Recommend some board games for family game night.", "Recommend some good board games for family game night."},
        };
        assertFlag(WordRelations::wordInserted, 0.0, same);
    }

    @Test
    void spanSubstituted_inARequestForAPieceOfWork_isAnotherRequest() {
        String[][] different = {
            {"Write an urgent, alarmed op-ed about ocean acidification.", "Write a calm, hopeful op-ed about ocean acidification."},
            {"Estimate the storage needed for a photo app, assuming 10 million uploads from Europe.",
                "Estimate the storage needed for a photo app, assuming 10 million uploads from Brazil."},
            {"Give me a packing list for a ski trip to Colorado.", "Give me a packing list for a beach trip to Colorado."},
            // "find" and "check" open requests too
            {"Find all real solutions of x^4 - 5x^2 + 4 = 0.", "Find the positive real solutions of x^4 - 5x^2 + 4 = 0."},
            {"Check my CV's education section for formatting mistakes.", "Check my entire CV for formatting mistakes."},
        };
        assertFlag(WordRelations::spanSubstituted, 1.0, different);
        String[][] same = {
            // a synonym, an opening verb, a number in words: said alike
            {"Write a limerick about a lazy cat.", "Compose a limerick about a lazy cat."},
            {"Give me three names for a coffee shop.", "Give me 3 names for a coffee shop."},
            {"Find the area of a circle with a radius of 4 cm.", "Find the area of a circle whose radius is 4 cm."},
            // questions are not requests: Quora's duplicates trade a span freely
            {"What is the best way to learn French?", "What is the fastest way to learn French?"},
        };
        assertFlag(WordRelations::spanSubstituted, 0.0, same);
    }

    @Test
    void spanSubstituted_aToolNamedByAnEverydayWord_beside_aWordOfTheWork() {
        String[][] different = {
            {"celery inspect registered tasks", "celery inspect scheduled tasks"},
            {"How do I run only tests matching a name with Jest?", "How do I skip tests matching a name with Jest?"},
            {"pandas drop rows with NaN values", "pandas drop columns that contain any NaN values"},
            // a name that is no everyday word needs nothing beside it
            {"does prisma db push create a migration file", "does prisma migrate dev create a migration file"},
        };
        assertFlag(WordRelations::spanSubstituted, 1.0, different);
        String[][] same = {
            // the same words without a word of a developer's work: a bear, not a library
            {"If a black bear shows up at my campsite, how should I react?",
                "If a black bear shows up at my campsite, how should I respond?"},
        };
        assertFlag(WordRelations::spanSubstituted, 0.0, same);
        assertTrue(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("swift run two async calls in parallel")));
        assertFalse(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("How fast is a swift in flight?")));
        assertFalse(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("How much celery should I add to the soup?")));
    }

    @Test
    void oneWordChanged_oneDayForAnother_isAnotherQuestion() {
        assertTrue(WordRelations.oneWordChanged(
                TextFeatures.of("What time does the last train leave Shibuya station on weekdays?"),
                TextFeatures.of("What time does the last train leave Shibuya station on Saturdays?")));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("cron run job every weekday at 9am"),
                TextFeatures.of("cron run job every monday at 9am")));
        // one day in the singular and the plural is the same day
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("Is the museum open on Saturday?"),
                TextFeatures.of("Is the museum open on Saturdays?")));
    }

    @Test
    void oneWordChanged_aShortNameWithOneLetterPutForAnother_isAnotherName() {
        // round BG served this pair
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("Does YugabyteDB YSQL support triggers?"),
                TextFeatures.of("Does YugabyteDB YCQL support triggers?")));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("How does DRAM work?"), TextFeatures.of("How does SRAM work?")));
        // a longer name with a letter put for another is as often one name spelt otherwise
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("During the war he studied with Willi Münzenberg."),
                TextFeatures.of("During the war he studied with Willy Münzenberg.")));
    }

    @Test
    void oneWordChanged_anotherSideOfADate_isAnotherTime() {
        assertTrue(WordRelations.oneWordChanged(
                TextFeatures.of("What were the most expensive watches sold at auction in 2019?"),
                TextFeatures.of("What were the most expensive watches sold at auction before 2019?")));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("Which phones came out since March?"),
                TextFeatures.of("Which phones came out until March?")));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("What music was popular during the 1970s?"),
                TextFeatures.of("What music was popular after the 1970s?")));
        // the same side said otherwise
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("Which laws changed during 2020?"),
                TextFeatures.of("Which laws changed in 2020?")));
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("Which bills must be paid before April?"),
                TextFeatures.of("Which bills must be paid by April?")));
    }

    @Test
    void oneWordChanged_theArticleThatGoesWithTheWord_isNoSecondChange() {
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("How often should I feed a juvenile bearded dragon crickets?"),
                TextFeatures.of("How often should I feed an adult bearded dragon crickets?")));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("How do I insert an invisible zipper into a lined skirt?"),
                TextFeatures.of("How do I insert an invisible zipper into an unlined skirt?")));
        // the article alone is no word changed, and a second word changed is still two
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("How do I develop a Uber clone?"),
                TextFeatures.of("How do I develop an Uber clone?")));
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("How do I prune an old apple tree?"),
                TextFeatures.of("How do I prune a young plum tree?")));
    }

    @Test
    void oneWordChanged_theParticleOfACompoundTurnedRound_isAnotherThing() {
        assertTrue(WordRelations.oneWordChanged(
                TextFeatures.of("What should I check during the move-in inspection of an apartment?"),
                TextFeatures.of("What should I check during the move-out inspection of an apartment?")));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("What time is check-in at the hotel?"),
                TextFeatures.of("What time is check-out at the hotel?")));
        // a particle of a compound for a free word is no compound turned round
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("What should I check during the move-in inspection?"),
                TextFeatures.of("What should I check during the move out inspection?")));
    }

    @Test
    void partNamed_aPartOfWhatTheOtherNames_isAnotherQuestion() {
        assertTrue(WordRelations.partNamed(TextFeatures.of("How do I restore the dial of a 1950s pocket watch?"),
                TextFeatures.of("How do I restore a 1950s pocket watch?")));
        assertTrue(WordRelations.partNamed(TextFeatures.of("How do I waterproof an old nylon tent?"),
                TextFeatures.of("How do I waterproof just the seams of an old nylon tent?")));
        assertTrue(WordRelations.partNamed(TextFeatures.of("What should I eat during a triathlon?"),
                TextFeatures.of("What should I eat during the bike leg of a triathlon?")));
        // a part opened by "a", or joined to its whole by "on" (round AH served both)
        assertTrue(WordRelations.partNamed(TextFeatures.of("How do I clean an antique leaded window?"),
                TextFeatures.of("How do I clean the lead came on an antique leaded window?")));
        assertTrue(WordRelations.partNamed(TextFeatures.of("How do I repair a torn sail on my parafoil kite?"),
                TextFeatures.of("How do I repair my parafoil kite?")));
        // after a form of "be" it asks what the thing is, in other words
        assertFalse(WordRelations.partNamed(TextFeatures.of("What is the meaning of entropy?"),
                TextFeatures.of("What is entropy?")));
        assertFalse(WordRelations.partNamed(TextFeatures.of("What's the definition of reality?"),
                TextFeatures.of("What's reality?")));
        // "a … of" counts the thing, and other words changed are other checks' to read
        assertFalse(WordRelations.partNamed(TextFeatures.of("A group of people are sweeping water out of a house."),
                TextFeatures.of("People are sweeping water out of a house.")));
        assertFalse(WordRelations.partNamed(TextFeatures.of("How do I restore the dial of a 1950s wrist watch?"),
                TextFeatures.of("How do I restore a 1950s pocket watch?")));
    }

    @Test
    void oneWordChanged_yesForNo_isTheOtherAnswer() {
        assertTrue(WordRelations.oneWordChanged(
                TextFeatures.of("How do I fill in the DS-160 if I answer 'yes' to having been refused a US visa before?"),
                TextFeatures.of("How do I fill in the DS-160 if I answer 'no' to having been refused a US visa before?")));
        // both answers named on both sides, in another order, is no answer put for the other
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("Should I answer yes or no to the cookie banner?"),
                TextFeatures.of("Should I answer no or yes to the cookie banner?")));
    }

    @Test
    void oneWordChanged_fromForTo_turnsTheWayRound() {
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("pillow image from numpy array"),
                TextFeatures.of("pillow image to numpy array")));
        assertTrue(WordRelations.oneWordChanged(TextFeatures.of("How do I convert a string from UTF-8?"),
                TextFeatures.of("How do I convert a string into UTF-8?")));
        // "to" and "into" point the same way, and "for" is no direction
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("How do I convert a string to UTF-8?"),
                TextFeatures.of("How do I convert a string into UTF-8?")));
        assertFalse(WordRelations.oneWordChanged(TextFeatures.of("What is the best way to prepare for IELTS?"),
                TextFeatures.of("What is the best way to prepare to IELTS?")));
    }

    @Test
    void oneWordChanged_oneForMany_isAnotherCount() {
        assertOneWordChanged(1.0, new String[][] {
            {"Room @Relation for a one-to-many relationship", "Room @Relation for a many-to-many relationship"},
            {"core data one to many relationship setup", "core data many to many relationship setup"},
            {"map a one-to-one relationship in JPA", "map a many-to-one relationship in JPA"},
        });
        // "many" for "several", or "one" for "single", says the same
        assertOneWordChanged(0.0, new String[][] {
            {"How do I delete many rows at once in SQL?", "How do I delete several rows at once in SQL?"},
            {"git cherry-pick one commit", "git cherry-pick single commit"},
        });
    }

    @Test
    void oneWordChanged_theWholeForAPart_isAnotherAmount() {
        assertOneWordChanged(1.0, new String[][] {
            {"Should I sell all of my Tesla shares before the earnings report?",
                "Should I sell some of my Tesla shares before the earnings report?"},
            {"Did all of the Founding Fathers own slaves?", "Did any of the Founding Fathers own slaves?"},
            {"Does every bird migrate in winter?", "Does any bird migrate in winter?"},
        });
        // a part for a part, or the whole said two ways, is the same amount
        assertOneWordChanged(0.0, new String[][] {
            {"Why is forgiving others difficult for some people?", "Why is forgiving others difficult for many people?"},
            {"Give each student a worksheet.", "Give every student a worksheet."},
        });
    }

    @Test
    void namesSoftware_aNameWithItsPossessive() {
        assertTrue(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("Can containers on Docker's default bridge network resolve each other?")));
        assertTrue(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("Does Spring\u2019s @Transactional roll back on a checked exception?")));
        assertTrue(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("Why does Spring's transactional annotation not roll back?")));
        // an everyday name still needs a word of the work beside it
        assertFalse(Lexicon.DEFAULT.namesSoftware(TextFeatures.of("What is spring's best flower?")));
    }

    @Test
    void spanSubstituted_oneScopeForTheOther_isAnotherQuestion() {
        String[][] different = {
            {"kubectl get pods in all namespaces", "kubectl get pods in a specific namespace"},
            {"vim search and replace in whole file", "vim search and replace in current line only"},
            {"How do I destroy all resources managed by Terraform?", "How do I destroy a single resource managed by Terraform?"},
            {"How do I set an environment variable permanently for my own user on Linux?",
                "How do I set an environment variable permanently for all users on Linux?"},
        };
        assertFlag(WordRelations::spanSubstituted, 1.0, different);
        String[][] same = {
            // a scope word said by another of its kind
            {"kubectl get pods in all namespaces", "kubectl get pods in every namespace"},
            {"terraform destroy just one resource", "terraform destroy a single resource"},
        };
        assertFlag(WordRelations::spanSubstituted, 0.0, same);
    }

    @Test
    void spanInserted_inATechnicalTask_isAnotherQuestion() {
        String[][] different = {
            // a word put in
            {"vim delete all lines", "vim delete all empty lines"},
            {"npm uninstall package", "npm uninstall global package"},
            // a condition put in
            {"systemd: how to restart a service?", "systemd: how to restart a service only if it is already running?"},
            // a span that says all the other's says, and more
            {"How do I list the tables in an SQLite database?", "How do I list the columns of a table in an SQLite database?"},
            // the words around read in their stems: "tables" / "a table"
            {"sqlite list tables", "sqlite list columns of a table"},
            // a scope word with a thing named once made many
            {"pip uninstall package", "pip uninstall all packages"},
            // two requests for a piece of work, whatever they name
            {"Give the oxidation state of sulfur in H2SO4.", "Give the oxidation states of every element in H2SO4."},
            {"Write a LinkedIn summary for a freelance software engineer targeting recruiters.",
                "Write a LinkedIn summary for a freelance software engineer targeting potential clients."},
            // a name with a possessive ending is a word of the span
            {"Give me marketing ideas for Mother's Day for my flower shop.",
                "Give me marketing ideas for Mother's Day and Valentine's Day for my flower shop."},
        };
        assertFlag(WordRelations::spanInserted, 1.0, different);
        String[][] same = {
            // a scope word alone
            {"git list branches", "git list all branches"},
            // a question that asks for no operation: Quora's duplicates add words to such
            {"What is the future of JavaScript?", "What is the future of JavaScript developer?"},
            {"What are some AngularJS interview questions?", "What are some good angularjs interview questions?"},
            // a sentence put in
            {"How do I delete a git branch?", "How do I delete a git branch? It was pushed already."},
            // no software named, and no request for a piece of work
            {"How do I delete all lines?", "How do I delete all empty lines?"},
            // a request and a question
            {"Write a cover letter for a nursing job.", "Can you help with a cover letter for a pediatric nursing job?"},
            // a word said otherwise in the other span
            {"How do I show line numbers in Vim?", "How do I display line numbers in Vim?"},
            // words put around the question that ask for nothing more
            {"How can I see the size of each layer in a Docker image?", "How can I actually see the size of each layer in a Docker image?"},
            {"How do I rename a local git branch?", "Quick question: how do I rename a local git branch?"},
        };
        assertFlag(WordRelations::spanInserted, 0.0, same);
    }

    /** Whether each pair, read both ways round, has one word changed to another thing (1) or not (0). */
    private static void assertOneWordChanged(double expected, String[][] pairs) {
        assertFlag(WordRelations::oneWordChanged, expected, pairs);
    }

    /** Whether {@code check} gives each pair, read both ways round, the flag expected (1 or 0). */
    private static void assertFlag(BiPredicate<TextFeatures, TextFeatures> check, double expected, String[][] pairs) {
        for (String[] p : pairs) {
            assertEquals(expected, Symmetric.flag((a, b) -> check.test(a, b) ? 1 : 0, p[0], p[1]), p[0] + " / " + p[1]);
        }
    }

    @Test
    void negated_onlyWherePrefixAndWordNetAllowIt() {
        assertTrue(WordRelations.negated("mount", "unmount", Relation.UNLISTED));
        assertTrue(WordRelations.negated("sorted", "unsorted", Relation.UNKNOWN));
        assertTrue(WordRelations.negated("synchronously", "asynchronously", Relation.UNLISTED));
        assertTrue(WordRelations.negated("malware", "antimalware", Relation.UNKNOWN));
        // WordNet has spoken: "live" / "alive" are one sense, "charge" / "discharge" opposites already
        assertFalse(WordRelations.negated("live", "alive", Relation.SAME));
        assertFalse(WordRelations.negated("charge", "discharge", Relation.OPPOSITE));
        // "a" and "in" begin too many words that negate nothing to count for words WordNet lists
        assertFalse(WordRelations.negated("wake", "awake", Relation.UNKNOWN));
        assertFalse(WordRelations.negated("stall", "install", Relation.UNKNOWN));
        // too short a word to tell a prefix from the start of another word
        assertFalse(WordRelations.negated("put", "input", Relation.UNLISTED));
        assertFalse(WordRelations.negated("mount", "remount", Relation.UNLISTED));
    }

    @Test
    void spelledApart_typosAndShortFormsAreNot() {
        assertFalse(WordRelations.spelledApart("contries", "countries"));
        assertFalse(WordRelations.spelledApart("hight", "height"));
        assertFalse(WordRelations.spelledApart("legit", "legitimate"));
        assertTrue(WordRelations.spelledApart("labelledby", "describedby"));
        assertTrue(WordRelations.spelledApart("backside", "frontside"));
    }

    @Test
    void placesTraded_placesOrTheirPeoplesTradingPlaces_isAnotherQuestion() {
        String[][] different = {
            {"What culture shocks do Americans face when moving to Japan?",
                "What culture shocks do Japanese people face when moving to America?"},
            {"I'm a US citizen married to a British citizen. How does my spouse move to the US?",
                "I'm a British citizen married to a US citizen. How does my spouse move to the UK?"},
            {"What should an American know before volunteering in Mexico?",
                "What should a Mexican know before volunteering in the United States?"},
            {"Do Indian women find Pakistani men attractive?", "Do Pakistani women find Indian men attractive?"},
            {"Will China ever trust the US again?", "Will the US ever trust China again?"},
        };
        assertFlag(WordRelations::placesTraded, 1.0, different);
    }

    @Test
    void placesTraded_placesNamedSideBySideOrInAnotherFrame_isTheSameQuestion() {
        String[][] same = {
            // named side by side, or compared: either order asks the same
            {"Which is better to live in, India or China?", "Which is better to live in, China or India?"},
            {"What is the difference between Austria and Australia?", "What is the difference between Australia and Austria?"},
            // the phrases moved, each with its own preposition
            {"How do I move from India to the US?", "How do I move to the US from India?"},
            {"How was education during the Japanese occupation like in Singapore?",
                "How was education in Singapore like during the Japanese occupation?"},
            // one place put for another is not a trade (the name checks see it)
            {"What should an American know before volunteering in Mexico?",
                "What should an American know before volunteering in Peru?"},
            // "us" written small is the pronoun, not a place (written "US", the pair below trades)
            {"Will China ever trust us again?", "Will us ever trust China again?"},
        };
        assertFlag(WordRelations::placesTraded, 0.0, same);
    }
}
