package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConstraintWordsTest {

    private static double mismatch(String a, String b) {
        return Symmetric.flag(ConstraintWords::mismatch, a, b);
    }

    @Test
    void mismatch_poemFormSwapped_isOne() {
        assertEquals(1.0, mismatch("Write a haiku about cats.", "Write a limerick about cats."));
    }

    @Test
    void mismatch_programmingLanguageSwapped_isOne() {
        assertEquals(1.0, mismatch("Write a function that reverses a string in Python.",
                "Write a function that reverses a string in Java."));
        assertEquals(1.0, mismatch("How do I read a file in Go?", "How do I read a file in Rust?"));
        // R only in the pairs that name the language
        assertEquals(1.0, mismatch("Write an R function that computes a Shannon index.",
                "Write a Julia function that computes a Shannon index."));
        assertEquals(0.0, mismatch("How do I read a CSV file in R?", "How can I load a CSV file using R?"));
    }

    @Test
    void mismatch_otherClassesSwapped_isOne() {
        assertEquals(1.0, mismatch("Summarize the French revolution for a child.", "Summarize the French revolution for a historian."));
        assertEquals(1.0, mismatch("Explain recursion. Answer in French.", "Explain recursion. Answer in Spanish."));
        assertEquals(1.0, mismatch("Write the invitation in a formal tone.", "Write the invitation in an informal tone."));
        assertEquals(1.0, mismatch("Give me the results as JSON.", "Give me the results as a table."));
        assertEquals(1.0, mismatch("Explain recursion in one sentence.", "Explain recursion in detail."));
        assertEquals(1.0, mismatch("Give gentle, encouraging advice for someone feeling homesick abroad.",
                "Give blunt, tough-love advice for someone feeling homesick abroad."));
    }

    @Test
    void mismatch_spreadsheetsAndDatabases_areTools() {
        assertEquals(1.0, mismatch("How do I track my records in Excel with a dropdown for genre?",
                "How do I track my records in Google Sheets with a dropdown for genre?"));
        assertEquals(1.0, mismatch("Plot the orbit of Mars using Plotly.", "Plot the orbit of Mars using matplotlib."));
        assertEquals(1.0, mismatch("How do I get the last day of the month in PostgreSQL?",
                "How do I get the last day of the month in MySQL?"));
        // the same tool named otherwise
        assertEquals(0.0, mismatch("Excel: how to create a pivot table", "how do i make a pivot table in excel"));
    }

    @Test
    void mismatch_aBuildToolCountsOnlyPutForAnother() {
        assertEquals(1.0, mismatch("spring boot gradle build executable jar", "build executable jar spring boot maven"));
        assertEquals(0.0, mismatch("How do I build a fat jar with Maven?", "How do I build a fat jar with all dependencies?"));
        assertEquals(0.0, added("How do I build a fat jar with Maven?", "How do I build a fat jar with all dependencies?"));
    }

    @Test
    void added_anExampleATerseQueryEndsOn_isTheThingSearchedFor() {
        assertEquals(0.0, added("how to list all topics in kafka", "kafka-topics.sh --list command example"));
        assertEquals(0.0, added("How do I send a POST request with a JSON body using curl?", "curl post json data example"));
        // asked for on top of the answer, however short the text
        assertEquals(1.0, added("What is a landlocked country?", "What's a landlocked country? Give two examples."));
        assertEquals(1.0, added("What is a closure?", "closures, two examples"));
    }

    @Test
    void mismatch_anOperatingSystemCountsOnlyPutForAnother() {
        assertEquals(1.0, added("How do I change the display name of my flutter app on iOS?", "flutter change app name android"));
        assertEquals(1.0, mismatch("How do I change the display name of my flutter app on iOS?", "flutter change app name android"));
        // named on one side only: where the asker is
        assertEquals(0.0, added("What is the best antivirus?", "What is the best antivirus for Android?"));
        // a second system on one side, none put for another
        assertEquals(0.0, added("From macOS, how can I build a Go binary that runs on aarch64 Linux?",
                "cross compile a go program for arm64 linux"));
        assertEquals(0.0, mismatch("From macOS, how can I build a Go binary that runs on aarch64 Linux?",
                "cross compile a go program for arm64 linux"));
        // a window is no system
        assertEquals(0.0, added("The Logcat window in Android Studio is empty", "logcat in android studio shows nothing"));
    }

    @Test
    void added_aFormatNamedInPassing_isNoConstraint_whereTheOtherTextDoesNotNameIt() {
        // the data a question is about
        assertEquals(0.0, added("aws lambda invoke --payload Invalid base64",
                "When I pass a JSON payload to aws lambda invoke with CLI v2 it complains about base64, how do I fix it?"));
        // the format the answer is not to take
        assertEquals(0.0, added("change aws cli output format to table",
                "Can I make the AWS CLI print results as a nicely formatted table instead of JSON by default?"));
        // asked for as the output, it still counts
        assertEquals(1.0, added("Export the orders table.", "Export the orders table as a CSV file."));
        assertEquals(1.0, added("List four heart-healthy snacks with their calories.",
                "Give me a JSON object listing 4 heart-healthy snacks with their calories."));
        // where the other text names it, the two are compared as before
        assertEquals(1.0, added("Give me the results as JSON.",
                "Give me the results as a table instead of JSON."));
    }

    @Test
    void added_aTableInAPairAboutADatabase_isNoFormat() {
        assertEquals(0.0, added("How to rename a column in MySQL?", "mysql alter table change column name"));
        assertEquals(0.0, added("How do I get the second highest salary from an employees table in SQL?",
                "SQL query for the 2nd largest value in the salary column"));
        // the database named on one side makes it the other side's table too
        assertEquals(0.0, added("Write a database migration that adds a phone column to the customers table in Django.",
                "Django: how do I write a migration to add a phone field to the customers table?"));
        // a table with columns is still a format where no database is in sight
        assertEquals(1.0, added("List the steps of a home energy audit.",
                "Put the steps of a home energy audit into a table with columns for step, tool used, and time needed."));
        assertEquals(1.0, added("Explain the causes of World War I.", "Explain the causes of World War I as a table."));
    }

    @Test
    void added_aToolsNicknameOnTheOtherSide_namesTheSameTool() {
        assertEquals(0.0, added("How do I count documents in a MongoDB collection?", "mongo number of docs in collection"));
        assertEquals(0.0, added("How do I list all databases in PostgreSQL?", "psql command to show all databases"));
        assertEquals(0.0, added("sqlite3 show tables", "How do I list the tables of an SQLite database?"));
        assertEquals(0.0, added("python check if key exists in dict",
                "What's the pythonic way to test whether a dictionary contains a given key?"));
        assertEquals(0.0, added("bash loop over files in directory", "iterate through every file in a folder in a shell script"));
        // bash named by one text, a shell by the other
        assertEquals(0.0, added("How do I change my default shell to zsh?", "make zsh my login shell instead of bash"));
        assertEquals(1.0, mismatch("Write a bash script that backs up my home folder.",
                "Write a PowerShell script that backs up my home folder."));
        // a language named by its package tool
        assertEquals(0.0, added("I ran pip install requests but my script still fails with ModuleNotFoundError",
                "installed requests with pip but python still says no module named requests"));
        assertEquals(0.0, added("cargo build error: linker `cc` not found",
                "Just installed Rust on a fresh Ubuntu box and cargo build fails saying linker cc not found"));
        assertEquals(1.0, added("How do I reverse a list?", "How do I reverse a list in Python?"));
        // Rust named by its async runtime
        assertEquals(0.0, added("tokio main function async setup",
                "How do I make my main function async in Rust using the tokio runtime?"));
        // Dart named by Flutter, Swift by Xcode or SwiftUI, PHP by Laravel, the shell by the terminal
        assertEquals(0.0, added("flutter obfuscate release build",
                "How can I obfuscate my Dart code when building the release version of my app?"));
        assertEquals(0.0, added("xcode build fails after updating pods", "swift project stopped building after pod update"));
        assertEquals(0.0, added("php artisan migrate rollback last batch", "laravel undo the last migration"));
        assertEquals(0.0, added("bash: composer: command not found",
                "I installed composer but my terminal says the composer command doesn't exist, how do I add it to my PATH?"));
        // Ruby named by Rails and its version managers
        assertEquals(0.0, added("ruby on rails test whether a string is nil or empty",
                "whats the idiomatic rails way to check if a string is either nil or just an empty string"));
        assertEquals(0.0, added("rbenv install list available versions", "how can I see which ruby versions rbenv is able to install"));
        // React named by one of its hooks
        assertEquals(0.0, added("React useEffect run only once on mount",
                "How do I make a useEffect hook run only one time when the component mounts?"));
        // a language by its short name or its compiler, a library by its import name, a framework
        // by one of its own tools
        assertEquals(0.0, added("In TypeScript, how do I make all properties of an interface optional?",
                "TS: make every field of an interface optional, how?"));
        assertEquals(0.0, added("typescript compiler watch mode", "tsc watch for changes"));
        assertEquals(0.0, added("How do I use torch.compile to speed up my model?",
                "Speeding up a pytorch model with torch.compile — how do I do it?"));
        assertEquals(0.0, added("numpy reshape 1d array to 2d", "np reshape flat array into a matrix"));
        assertEquals(0.0, added("pandas read csv skip first row", "pd.read_csv ignore the header line"));
        assertEquals(0.0, added("Django filter a queryset by date range", "filter a queryset between two dates"));
        assertEquals(0.0, added("elixir add a dependency to a project", "mix add dependency to deps"));
        assertEquals(0.0, added("composer install vs composer update",
                "What's the difference between running composer install and composer update in a PHP project?"));
        assertEquals(0.0, added("maven build a jar with all dependencies included",
                "How do I make a fat jar with Maven so I can run it with java -jar?"));
        assertEquals(0.0, added("matplotlib put the legend outside the plot", "plt legend outside the axes"));
        // JavaScript named by its frameworks, Next.js spelt with its dot or without
        assertEquals(0.0, added("express read json request body",
                "how to parse the json body in an express.js post handler"));
        assertEquals(0.0, added("How do I set environment variables that are accessible in the browser in Next.js?",
                "nextjs expose env var to client side"));
        assertEquals(1.0, added("How do I parse a JSON request body?", "How do I parse a JSON request body in Express.js?"));
        // SQL goes without saying where the other side names a relational database
        assertEquals(0.0, added("How do I find out which version of PostgreSQL I'm running?",
                "check postgres server version sql"));
        assertEquals(1.0, added("How do I find duplicates in a table?", "SQL query to find duplicates in a table"));
        // but not beside MongoDB, which is queried otherwise
        assertEquals(1.0, added("MongoDB: how do I count the records that match a filter?",
                "MongoDB: what SQL counts the records that match a filter?"));
        assertEquals(1.0, added("How do I make all properties of an interface optional?",
                "In TypeScript, how do I make all properties of an interface optional?"));
        // unit tests asked for by one text, tests by the other
        assertEquals(0.0, added("maven skip tests", "How do I build a Maven project without running the unit tests?"));
        assertEquals(0.0, added("Write a unit test in Jest for a function that validates email addresses.",
                "Jest test cases, please, for an email-validation function."));
        assertEquals(1.0, added("Write a function that validates email addresses.",
                "Write a function that validates email addresses, with unit tests."));
        // a nickname is still a tool of its own against another one, or against none
        assertEquals(1.0, mismatch("mongo count documents in collection", "psql count rows in table"));
        assertEquals(1.0, added("Write a script that renames every file in a folder.",
                "Write a shell script that renames every file in a folder."));
    }

    @Test
    void added_wordsThatOnlyLookLikeConstraints_areNone() {
        // "react" the verb, not the library
        assertEquals(0.0, added("How do vinegar and baking soda react?",
                "What happens when you combine vinegar and baking soda?"));
        assertEquals(0.0, added("How do Mexicans feel about Trump's victory?",
                "How are Mexicans reacting to Trump's election victory?"));
        // the library where either side is about it, the other side's bare "react" included
        assertEquals(0.0, added("react run effect only once on mount",
                "In a React function component, how do I make useEffect run only a single time?"));
        assertEquals(1.0, added("How do I build an accessible toggle switch component?",
                "How do I build an accessible toggle switch component in React?"));
        // a bullet that is shot, not a bullet point; a number of bullets is
        assertEquals(0.0, added("How does it feel to get shot in the stomach?",
                "What does it feel like to get a bullet shot in your stomach?"));
        assertEquals(1.0, added("Summarize the MITRE ATT&CK framework.", "Give me a 3-bullet overview of MITRE ATT&CK."));
        assertEquals(1.0, added("Summarize the MITRE ATT&CK framework.", "Summarize the MITRE ATT&CK framework as a bullet list."));
        // a placeholder domain asks for no example
        assertEquals(0.0, added("How to check a TLS certificate's expiration date from the command line?",
                "Is there an openssl command to see when the SSL cert served by example.com expires?"));
        assertEquals(1.0, added("How do I check a certificate's expiry date?",
                "How do I check a certificate's expiry date? Give an example."));
        // "user friendly" with or without its hyphen, and rupees as Rs
        assertEquals(0.0, added("Which is the most user friendly project management software?",
                "What is the most user-friendly project management software?"));
        assertEquals(0.0, added("What are the best earphones under 1500 Rs?", "Which is the best earphone under 1500 rupees?"));
    }

    @Test
    void added_detailsNamedOrAnExampleOfTheTextsOwn_askForNoLongerAnswer() {
        // "details" as the facts a text names, not a long answer
        assertEquals(0.0, added("What information is legally required on a UK invoice?",
                "For an invoice issued in the UK, which details does the law say I must include?"));
        assertEquals(0.0, added("What should be on a valid VAT invoice?", "List the details a VAT invoice must include to be valid."));
        assertEquals(0.0, added("Some important information to include in the DatasetInfo class are description, features and license.",
                "In the DatasetInfo class, it is essential to include details such as description, features and license."));
        assertEquals(0.0, added("Tell me about the new parental leave policy.", "What are the details of the new parental leave policy?"));
        // named in passing on one side, it still matches details the other side names in other words
        assertEquals(0.0, added("How can some people write such long question details on Quora, while I have word limitations?",
                "Why does my details have to be limited while others question details can be so long?"));
        // … while asking for all of them, or for them in full, still asks for length
        assertEquals(1.0, added("What is a P11D?", "What is a P11D? Walk me through it thoroughly, with all the details."));
        assertEquals(1.0, added("How does the Met's Live in HD work?", "How does the Met's Live in HD work? Give me full details about it."));
        assertEquals(1.0, added("How do I see a memory leak with valgrind?", "How do I see a memory leak with valgrind, with more details on each?"));
        assertEquals(1.0, added("Explain how a heat pump works.", "Explain how a heat pump works in detail."));
        // "for example" introduces the text's own example; asking for one is still an extra
        assertEquals(0.0, added("Yes, other types of audio datasets can be loaded with this code, such as an AudioFolder dataset.",
                "Yes, other types of audio datasets can be loaded with this code. For example, you can load an AudioFolder dataset."));
        assertEquals(0.0, added("Pass the dataset name. For example, get_dataset_config_names(\"glue\") lists GLUE's configs.",
                "Pass the dataset name. As an example, get_dataset_config_names(\"glue\") lists GLUE's configs."));
        assertEquals(1.0, added("Explain recursion.", "Explain recursion and give an example."));
        assertEquals(1.0, added("How do I use Python's zip function?", "How do I use Python's zip function? Show an example."));
    }

    @Test
    void added_aLanguageItsToolsName_aFileName_aWarehousesTable_askForNothing() {
        // a library, a warehouse or a framework names the language on the other side
        assertEquals(0.0, added("Is there a quick way to get the number of null values per column in a Spark DataFrame with Python?",
                "pyspark count nulls in each column"));
        assertEquals(0.0, added("How do I run SQL on a CSV file with DuckDB without importing it into a table first?",
                "duckdb query csv file directly"));
        assertEquals(0.0, added("how to run a single test file in elixir mix", "how to run a single test file with exunit"));
        // a format or an example joined to a name by a point is part of the name
        assertEquals(0.0, added("bun install packages from package.json", "How do I install all my project dependencies with Bun?"));
        assertEquals(0.0, added("xcode No profiles for 'com.example.app' were found",
                "Xcode can't find a provisioning profile for my bundle id, how to fix?"));
        // a table of a data warehouse is stored, not drawn
        assertEquals(0.0, added("how do i force dbt to rebuild my incremental table from scratch", "dbt full refresh incremental model"));
        // "React's" is the library where the text is about it
        assertEquals(0.0, added("Explain what the React Context API is for in exactly two paragraphs.",
                "In two paragraphs, no more and no less, describe what React's Context API is used for."));
        // still asked for: a language with nothing that names it, a format on its own, an example asked for
        assertEquals(1.0, added("How do I read a file line by line?", "How do I read a file line by line in Python?"));
        assertEquals(1.0, added("List the planets by size.", "List the planets by size as JSON."));
        assertEquals(1.0, added("List the planets by size.", "List the planets by size in a table."));
        assertEquals(1.0, added("How do I use Python's zip function?", "How do I use Python's zip function? Show an example."));
    }

    @Test
    void added_whatOneSideNamesBeyondTheOther_theOtherNamesLoosely_orPointsTo() {
        // TypeScript beside JavaScript on one side, "TS" on the other
        assertEquals(0.0, added("Huggingface.js is a collection of JS libraries to interact with Hugging Face, with TS types included.",
                "Hugging Face.js is a set of JavaScript libraries that allow for interaction with Hugging Face, complete with TypeScript types."));
        assertEquals(1.0, added("Write a JavaScript function that debounces another function.",
                "Write a JavaScript function that debounces another function, and port it to Python."));
        // where the files come from, not a source to cite
        assertEquals(0.0, added("The first step is to create a dictionary of URLs that point to the original data files.",
                "The first step is to create a dictionary of URLs that link to the source data files."));
        assertEquals(1.0, added("Who first said \"the medium is the message\"?",
                "Who first said \"the medium is the message\"? Cite your source."));
        // details pointed to elsewhere, not asked for
        assertEquals(0.0, added("You can use keywords or custom split names to name your splits, as explained in the document.",
                "You can name your splits by either using keywords or custom split names, as detailed in the document."));
        assertEquals(0.0, added("You can create your own AudioFolder dataset with the audio guide.",
                "You can create your own AudioFolder dataset with the audio guide; for more details, read it first."));
        assertEquals(1.0, added("Explain how a heat pump works.", "Explain how a heat pump works, with more details."));
        // an illustration is an example; "sourced" says where from
        assertEquals(0.0, added("An example of a transform that can be applied to an image is ColorJitter.",
                "An illustration of a transformation that can be utilized on an image is ColorJitter."));
        assertEquals(0.0, added("Image datasets can be loaded from the image column, which holds a PIL object.",
                "The image column holds a PIL object, from which image datasets can be sourced."));
    }

    @Test
    void added_wordsOfTheProgramAsked_askForNothing() {
        // error handling is what the question is about, said otherwise on the other side
        assertEquals(0.0, added("express error handling middleware",
                "How do I write a centralized middleware in Express that catches errors thrown from all my routes?"));
        assertEquals(1.0, added("Write a function that parses a date.", "Write a function that parses a date, with error handling."));
        // a child view is part of the program, not a reader
        assertEquals(0.0, added("How do I pass a binding in SwiftUI?", "How do I pass a binding to a child view in SwiftUI?"));
        assertEquals(1.0, added("Explain photosynthesis.", "Explain photosynthesis to a child."));
        // a date pattern's month, not millimetres
        assertEquals(0.0, added("pyspark convert string column to date", "pyspark convert string column to date yyyy-MM-dd"));
        assertEquals(1.0, added("How long is a standard wood screw?", "How long is a standard wood screw in mm?"));
        // JSON sent, received or parsed is the data asked about; returned, it is asked for
        assertEquals(0.0, added("req.body is undefined express",
                "I'm sending JSON to my Express route but req.body comes back undefined, what am I missing?"));
        assertEquals(1.0, added("Write a Flask endpoint that lists the users.", "Write a Flask endpoint that lists the users and returns JSON."));
    }

    @Test
    void mismatch_languagesNamedInTheirOwnWords_areLanguages() {
        assertEquals(1.0, mismatch("En español, por favor: what should I do if my cat chews on a lily?",
                "Em português, por favor: what should I do if my cat chews on a lily?"));
        // a language's own name and its English one are spellings of one value
        assertEquals(0.0, mismatch("Answer in Deutsch: how do I renew my passport?",
                "Answer in German: how do I renew my passport?"));
    }

    @Test
    void mismatch_constraintAddedOrRemoved_isHalf() {
        assertEquals(0.5, mismatch("Explain recursion.", "Explain recursion in detail."));
        assertEquals(0.5, mismatch("Explain recursion.", "Explain recursion. Please be brief."));
        assertEquals(0.5, mismatch("Give me a recipe for lasagna.", "Give me a recipe for lasagna that is vegan."));
    }

    @Test
    void mismatch_rewordings_isZero() {
        assertEquals(0.0, mismatch("Explain recursion in one sentence.", "Can you explain recursion in a single sentence?"));
        assertEquals(0.0, mismatch("Write a haiku about cats", "Compose a haiku about cats, please."));
        assertEquals(0.0, mismatch("What is the capital of France?", "What's France's capital city?"));
        assertEquals(0.0, mismatch("Give me the tips as bullet points.", "Put the tips in a bulleted list."));
        assertEquals(0.0, mismatch("Explain it briefly for kids.", "Give a concise explanation for a child."));
        assertEquals(0.0, mismatch("Where should I go on holiday?", "Where should I travel on holiday?"));
    }

    @Test
    void mismatch_anotherUnitOfConcentration_isOne() {
        assertEquals(1.0, mismatch("My mom's blood sugar reading is 10 mmol/L. Is that too high for a 75-year-old?",
                "My mom's blood sugar reading is 10 mg/dL. Is that too high for a 75-year-old?"));
        // milligrams alone are a weight, not a concentration
        assertEquals(0.0, mismatch("Is 10 mg/dL of glucose normal?", "Is a glucose of 10 mg/dL normal?"));
    }

    /** A direction swap keeps every word: mismatch gives 0, and directionSwap catches it. */
    @Test
    void mismatch_directionSwapped_isZero() {
        assertEquals(0.0, mismatch("Convert 30 Celsius to Fahrenheit", "Convert 30 Fahrenheit to Celsius"));
        assertEquals(0.0, mismatch("Translate my cover letter from English to French.",
                "Translate my cover letter from French to English."));
    }

    @Test
    void valuesIn_namesEachValueByItsFirstSpelling() {
        TextFeatures t = TextFeatures.of("Briefly explain, in Go, how to convert 5 lbs to kilos for my grandpa.");
        assertEquals(Map.of("length", Set.of("brief"), "programming-language", Set.of("golang"),
                "weight", Set.of("pound", "kilogram"), "audience", Set.of("grandmother")), ConstraintWords.DEFAULT.valuesIn(t));
    }

    @Test
    void parse_wordInTwoClasses_throws() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConstraintWords.parse("test", List.of("weight: pound/lb", "currency: dollar pound")));
        assertEquals("test: \"pound\" is in both weight (pound) and currency (pound)", e.getMessage());
    }

    @Test
    void parse_lineWithoutClass_throws() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConstraintWords.parse("test", List.of("haiku limerick")));
        assertEquals("test: expected \"class: value value ...\" in: haiku limerick", e.getMessage());
    }

    @Test
    void parse_pairEntry_matchesAdjacentWordsOnly() {
        ConstraintWords words = ConstraintWords.parse("test", List.of("programming-language: golang/in_go python"));
        assertEquals(1.0, words.score(TextFeatures.of("Sort a list in Go."), TextFeatures.of("Sort a list in Python.")));
        assertEquals(0.0, words.score(TextFeatures.of("Where can I go in winter?"), TextFeatures.of("Where can I travel in winter?")));
    }

    private static double swap(String a, String b) {
        return Symmetric.flag(ConstraintWords::directionSwap, a, b);
    }

    @Test
    void directionSwap_sameUnitsOrLanguagesReversed_isOne() {
        assertEquals(1.0, swap("Convert 30 Celsius to Fahrenheit", "Convert 30 Fahrenheit to Celsius"));
        assertEquals(1.0, swap("Translate 'good morning' from English to French.",
                "Translate 'good morning' from French to English."));
        assertEquals(1.0, swap("How many miles is 10 kilometers?", "How many kilometers is 10 miles?"));
        assertEquals(1.0, swap("How many hectares is 40 acres?", "How many acres is 40 hectares?"));
        assertEquals(1.0, swap("Translate my menu into English from French.", "Translate my menu from English into French."));
        assertEquals(1.0, swap("What's 72 degrees Fahrenheit in Celsius?", "What's 72 degrees Celsius in Fahrenheit?"));
    }

    @Test
    void directionSwap_valuesListedInAnotherOrder_orTheSameConversionAskedOtherwise_isZero() {
        assertEquals(0.0, swap("Which is better, Python or Java?", "Which is better, Java or Python?"));
        assertEquals(0.0, swap("Python vs Java: which should I learn first?", "Should I learn Java or Python first?"));
        assertEquals(0.0, swap("Convert 5 kilograms to pounds.", "How many pounds is 5 kg?"));
        assertEquals(0.0, swap("Translate my menu from French into English.", "Translate my menu into English from French."));
        assertEquals(0.0, swap("Is Java the same as JavaScript?", "Is JavaScript the same as Java?"));
        assertEquals(1.0, swap("Export the table from Excel as CSV.", "Export the table from CSV as Excel."),
                "an 'as' that converts still has a direction");
    }

    @Test
    void directionSwap_sameOrderOrOneValue_isZero() {
        assertEquals(0.0, swap("Convert 30 Celsius to Fahrenheit", "Please convert 30 Celsius into Fahrenheit."));
        assertEquals(0.0, swap("Answer in French.", "Reply in French, please."));
        assertEquals(0.0, swap("Convert 30 Celsius to Fahrenheit", "Convert 30 Celsius to Kelvin"));
    }

    private static double added(String a, String b) {
        return Symmetric.flag(ConstraintWords::added, a, b);
    }

    @Test
    void added_constraintOnOneSideOnly_isOne() {
        assertEquals(1.0, added("Explain recursion.", "Explain recursion in detail."));
        assertEquals(1.0, added("What is the capital of France?", "What is the capital of France? Please be brief."));
        assertEquals(1.0, added("Write a bash script that backs up my home folder. Add comments.",
                "Write a bash script that backs up my home folder."));
        assertEquals(1.0, added("Write a Python function that parses dates, with unit tests.",
                "Write a Python function that parses dates, with comments."));
        // a sentence or paragraph with an amount or "in" before it sets the answer's length
        assertEquals(1.0, added("Explain recursion in a couple of sentences.", "Explain recursion."));
        assertEquals(1.0, added("Summarize the report in 3 short paragraphs.", "Summarize the report."));
        assertEquals(1.0, added("Write 2 paragraphs about cats.", "Write about cats."));
        assertEquals(1.0, added("Write a short paragraph about cats.", "Tell me about cats."));
        assertEquals(1.0, added("How many calories are in a banana?", "How many kilojoules are in a banana?"));
        assertEquals(1.0, added("Explain recursion in one sentence.", "Explain recursion in one paragraph."));
        assertEquals(1.0, added("What is the energy in a banana in kilojoules?",
                "What is the energy in a banana in kilocalories?"));
    }

    @Test
    void added_anUnlistedMannerOrVariety_isOne() {
        assertEquals(1.0, added("Write a cover letter for a junior analyst role in a confident tone.",
                "Write a cover letter for a junior analyst role in a humble tone."));
        assertEquals(1.0, added("Write a product description for headphones in British English.",
                "Write a product description for headphones in American English."));
        assertEquals(1.0, added("Describe Paris in the style of Hemingway.", "Describe Paris in the style of a pirate."));
        assertEquals(1.0, added("Describe Paris in the style of Hemingway.", "Describe Paris."));
        // a role played is a text asked for
        assertEquals(1.0, added("Act as a pirate captain and welcome new crew members aboard in a menacing tone.",
                "Act as a pirate captain and welcome new crew members aboard in a cheerful, goofy tone."));
    }

    @Test
    void added_theSameMannerSaidOtherwise_isZero() {
        assertEquals(0.0, added("Write a cover letter in a confident tone.", "Confidently write a cover letter."));
        assertEquals(0.0, added("Create a sonnet about a fox in an informal tone.", "Create a sonnet about a fox in a casual tone."));
        assertEquals(0.0, added("Write a short story about dawn. Keep the tone casual.",
                "Write a short story about dawn in an informal tone."));
        assertEquals(0.0, added("Explain inflation in plain English.", "Explain inflation in simple terms."));
        assertEquals(0.0, added("How do I dress in a minimalist style?", "How do I dress like a minimalist?"));
    }

    @Test
    void added_anInstructionOfItsOwnOnOneSide_isOne() {
        assertEquals(1.0, added("Is it safe for dogs to eat grapes? Answer with only yes or no.",
                "Is it safe for dogs to eat grapes?"));
        assertEquals(1.0, added("Explain how to unclog a sink drain. Include a list of tools needed.",
                "Explain how to unclog a sink drain."));
        assertEquals(1.0, added("Solve 3x + 5 = 20. Show your work.", "Solve 3x + 5 = 20."));
        assertEquals(1.0, added("What made Napoleon such a successful commander? Leave out anything about artillery.",
                "What made Napoleon such a successful commander?"));
        assertEquals(1.0, added("Describe the causes of the 2008 financial crisis, and include a timeline.",
                "Describe the causes of the 2008 financial crisis."));
        assertEquals(1.0, added("Explain how to treat a minor burn at home, and say when to see a doctor.",
                "Explain how to treat a minor burn at home."));
        assertEquals(1.0, added("Write a regex to validate email addresses and explain each part of it.",
                "Write a regex to validate email addresses."));
        assertEquals(1.0, added("Write a short biography of Frederick Douglass. Quote his own words at least twice.",
                "Write a short biography of Frederick Douglass."));
        assertEquals(1.0, added("Estimate how many piano tuners there are in Chicago.",
                "Estimate how many piano tuners there are in Chicago. State every assumption as a numeric range."));
        assertEquals(1.0, added("Can you create a 7-day meal plan for her that is simple to prepare?",
                "Can you create a 7-day meal plan for her that is simple to prepare and avoids anything hard to chew?"));
    }

    @Test
    void added_aRequirementSaidWithMustOrHaveTo_isOne() {
        assertEquals(1.0, added("Recommend some microphones for starting a podcast.",
                "Recommend some microphones for starting a podcast. They have to plug straight into USB-C."));
        assertEquals(1.0, added("Suggest a tent for a weekend trip.", "Suggest a tent for a weekend trip. It must weigh under 2 kg."));
        // the same requirement given either way
        assertEquals(0.0, added("Recommend a USB-C podcast microphone.",
                "Recommend a podcast microphone. It has to plug into USB-C."));
        assertEquals(1.0, added("How do I make an Android app work offline?", "How do I make an Android app work offline? "
                + "Changes made offline must sync automatically once connectivity returns."));
        assertEquals(1.0, added("Give me a packing list for an eclipse-chasing trip.",
                "Give me a packing list for an eclipse-chasing trip. I'll only have a backpack and no car."));
        assertEquals(1.0, added("How do I build a compost bin out of pallets?",
                "How do I build a compost bin out of pallets? I don't own any power tools."));
        assertEquals(1.0, added("Give me a 3-day itinerary for a rail trip through Switzerland.",
                "Give me a 3-day itinerary for a rail trip through Switzerland. I have a Swiss Travel Pass and "
                + "want to avoid any mountain railways that cost extra."));
        assertEquals(1.0, added("How can I soundproof my practice room?",
                "How can I soundproof my practice room? I'm renting, so nothing that damages the walls."));
        // a sentence about what the asker has is no requirement, nor is a question
        assertEquals(0.0, added("My laptop is slow. What should I do?", "What should I do about my slow laptop?"));
        assertEquals(0.0, added("How do I pick a laptop?", "How do I pick a laptop? What must I know first?"));
        // the same requirement in other words: mostly the other text's words
        assertEquals(0.0, added("Write a Python scraper for this job board that honors robots.txt.",
                "Need a Python scraper for this job board. It has to obey the site's robots.txt."));
    }

    @Test
    void added_aReaderOnlyWhereTheAnswerIsAddressedToThem() {
        assertEquals(1.0, added("Write feedback on a GCSE essay about Macbeth, addressed to the student.",
                "Write feedback on a GCSE essay about Macbeth, addressed to the student's parents."));
        assertEquals(1.0, added("Explain the Spanish subjunctive to an English speaker who just started learning Spanish.",
                "Explain the Spanish subjunctive to a teacher of Spanish linguistics."));
        assertEquals(1.0, added("Describe the benefits of reading aloud to children for an audience of first-time parents.",
                "Describe the benefits of reading aloud to children for an audience of early-childhood researchers."));
        assertEquals(1.0, added("Explain how lithium-ion batteries degrade, for a battery engineer.",
                "Explain how lithium-ion batteries degrade, for someone who just bought their first electric car."));
        // a field is no reader
        assertEquals(0.0, added("How do I prepare for GATE in mechanical engineering?", "How do I prepare for gate in mechanical?"));
        // a parent or a teacher the question is about
        assertEquals(0.0, added("What causes night terrors in children and how should I respond?",
                "Why do kids get night terrors, and what should a parent do during one?"));
        assertEquals(0.0, added("Explain what a GFCI outlet does for a retired schoolteacher who's never done electrical work.",
                "My mom's a retired teacher who has never touched wiring. How would you explain to her what a GFCI outlet does?"));
        // a scientist is a researcher
        assertEquals(0.0, added("How do scientists know the Earth is 4.5 billion years old?",
                "What evidence lets researchers date Earth at about 4.5 billion years?"));
        // and never the network's feature, which was trained without them
        assertEquals(0.0, mismatch("How do I tell my parents I failed a class?", "How do I tell my mom and dad I failed a class?"));
    }

    @Test
    void added_anInstructionTheOtherTextAlsoGives_isZero() {
        assertEquals(0.0, added("How do I format a date in Ruby and handle errors?",
                "What's the way to format a date in Ruby? Make sure errors are handled."));
        assertEquals(0.0, added("Explain how vaccines work. Keep it brief.", "Briefly explain how vaccines work."));
        assertEquals(0.0, added("Explain how TLS works. Give an example.", "Explain how TLS works with an example."));
        // a question that follows a statement is no instruction
        assertEquals(0.0, added("I am 20. What should I study?", "What should I study at 20?"));
    }

    @Test
    void added_stepsOnlyWhenTheAnswerIsAskedInSteps() {
        assertEquals(0.0, added("How do I install Node.js on Windows?", "What are the steps to install Node.js on Windows?"));
        assertEquals(1.0, added("Explain how to install Node.js step by step.", "Explain how to install Node.js."));
        assertEquals(1.0, added("Explain how to install Node.js in numbered steps.", "Explain how to install Node.js."));
        assertEquals(0.0, added("Why does my knee click with each step?", "Why does my knee click when I walk?"));
    }

    @Test
    void added_anAgeIsAnAudience() {
        assertEquals(0.0, added("Explain plate tectonics to a six-year-old.",
                "How would you explain plate tectonics to a 6 year old kid?"));
        assertEquals(0.0, added("Explain tides to a 15-year-old.", "Explain tides to a teenager."));
        assertEquals(0.0, added("Explain tides to a 14-year-old kid.", "Explain tides to a teenager."));
        assertEquals(1.0, added("Explain tides to a 5-year-old.", "Explain tides."));
        assertEquals(1.0, added("Explain tides to a 5-year-old.", "Explain tides to a teenager."));
        assertEquals(0.0, added("Write 6 fraction problems for fourth graders.", "Write 6 fraction problems for 4th grade students."));
        assertEquals(0.0, added("Write 6 fraction problems for a 9-year-old.", "Write 6 fraction problems for a fourth grader."));
        assertEquals(1.0, added("Write 6 fraction problems for fourth graders.", "Write 6 fraction problems for 10th graders."));
    }

    @Test
    void added_anAudienceWordOnlyWhereItSaysWhoTheAnswerIsFor() {
        assertEquals(0.0, added("How do I handle a student who keeps interrupting the class?",
                "What should a teacher do about a pupil who constantly interrupts lessons?"));
        assertEquals(1.0, added("Explain recursion for a beginner.", "Explain recursion."));
        assertEquals(1.0, added("Explain how loans work, aimed at students.", "Explain how loans work."));
        assertEquals(0.0, added("Explain Ohm's law to a middle schooler.", "Explain Ohm's law to a middle school kid."));
        assertEquals(1.0, added("Explain Ohm's law to a middle schooler.", "Explain Ohm's law to an elementary school kid."));
        assertEquals(0.0, added("My 7 year old is afraid of the dark. What should I do?",
                "What should I do about my kid's fear of the dark?"), "an age that is not who the answer is for");
        assertEquals(0.0, added("What degree do I need to become a lawyer?", "What should I study for a career in law?"),
                "a verb between: the person is the goal, not the reader");
        assertEquals(1.0, added("Explain what tannins are to a complete wine novice.", "Explain what tannins are to a sommelier."));
        assertEquals(0.0, added("How do I talk to my teenager about vaping?", "What's the best way to bring up vaping with my teen?"),
                "the other text names the same person");
        assertEquals(0.0, added("Write a script that emails parents when a grade drops below 70.",
                "Write a script: send an email to parents whenever a student's grade falls under 70."),
                "a clause between the marker and the person");
        assertEquals(0.0, added("Help me tell my roommate about the cat. Keep it gentle.",
                "How can I gently tell my roommate about the cat?"), "'gentle' and 'gently' meet");
        assertEquals(0.0, added("Describe how coral reefs form for a group of second graders.",
                "How would you explain to 2nd graders the way coral reefs form?"));
    }

    @Test
    void added_anAudienceSaidInOtherWords_isTheSameReader() {
        assertEquals(0.0, added("Explain the Android back stack to a beginner.", "I'm new to Android — how does the back stack work?"));
        assertEquals(0.0, added("I've never played squash — how does scoring work?",
                "Explain the squash scoring system to a complete beginner."));
        assertEquals(0.0, added("Explain polygenic risk scores in plain English.",
                "In simple, non-technical terms, what's a polygenic risk score?"));
        assertEquals(0.0, added("Explain subnet masks in plain English.", "Without any jargon, explain what a subnet mask is."));
        assertEquals(0.0, added("Explain redshift like I'm five.", "ELI5: what is redshift?"));
        assertEquals(0.0, added("Write a bedtime routine checklist for a 3-year-old.",
                "Make me a checklist for a three year old's bedtime routine."));
        assertEquals(0.0, added("Recommend 5 board games for a family with kids aged 6 and 9.",
                "Family game night with a 6yo and a 9yo — suggest five board games."));
        // said otherwise, it is never a constraint of its own, and jargon asked for is no layman's
        assertEquals(1.0, added("Explain inflation in plain language.", "Explain inflation using economic jargon."));
        assertEquals(1.0, added("Explain recursion for a beginner.", "Explain recursion. I'm new here, who wrote this?"));
        assertEquals(1.0, added("Explain tannins to a complete beginner.", "Explain tannins to a sommelier who is new to Rioja."));
    }

    @Test
    void added_aLanguageAskedForWithoutIn_isTheSameLanguage() {
        assertEquals(0.0, added("Translate 'running stitch' into French.", "What's the French term for running stitch?"));
        assertEquals(0.0, added("Translate the first stanza of 'L'Albatros' into English.",
                "Give me an English translation of the opening stanza of L'Albatros."));
        assertEquals(0.0, added("Draft a school fire drill announcement, in Spanish please.",
                "I need a Spanish-language announcement for a fire drill at our school."));
        assertEquals(0.0, added("Write an apology email in French to a customer whose order was delayed.",
                "En français, please: an apology email to a customer whose order got delayed."));
        assertEquals(0.0, added("Translate 'Where is the library?' into French.", "What is the French for 'Where is the library?'"));
        // the language only as a topic's adjective, or a word asked about rather than for
        assertEquals(1.0, added("Summarize the French Revolution in French.", "Summarize the French Revolution."));
        assertEquals(1.0, added("How many characters do I need to read a Chinese newspaper?",
                "How many characters do I need to read a newspaper, in Chinese?"));
        assertEquals(1.0, added("What does the French word 'chanson' mean?", "Translate 'chanson' into French."));
    }

    @Test
    void added_brevityAskedInWordsTheListLeavesOut_isTheSameLength() {
        assertEquals(0.0, added("Write a short poem about the periodic table.", "Can you compose a brief poem on the periodic table?"));
        assertEquals(0.0, added("Quick overview: natural vs synthetic dyes on wool?", "Briefly explain natural vs synthetic dyes for wool."));
        assertEquals(0.0, added("Brief tips for negotiating my salary?", "salary negotiation tips, keep it short"));
        assertEquals(1.0, added("Briefly, what is short selling?", "What is short selling?"), "'short' that is the topic");
        assertEquals(1.0, added("Explain how vaccines work. Keep it brief.", "Explain how vaccines work, a quick fix for my essay."));
        assertEquals(1.0, added("Give me a short explanation of photosynthesis.", "Explain photosynthesis in detail."),
                "brevity against detail is a length put for another");
    }

    @Test
    void added_anInstructionThatOnlyRestatesTheQuestion_isNoConstraint() {
        assertEquals(0.0, added("What's the difference between a heart attack and cardiac arrest?",
                "Cardiac arrest vs heart attack: explain the distinction."));
        assertEquals(0.0, added("What are the HACCP principles? List all seven.", "Name the 7 principles of HACCP."));
        assertEquals(0.0, added("Can I make bread without yeast? Give two options.", "Name 2 ways to make bread with no yeast."));
        assertEquals(1.0, added("What made Napoleon such a successful commander? Leave out anything about artillery.",
                "What made Napoleon such a successful commander?"));
        assertEquals(1.0, added("Suggest names for a genetics podcast. Include a pun on the word gene in each.",
                "Suggest names for a genetics podcast."));
    }

    @Test
    void added_aKindOfTextWithAModifierThatMeansTheSame_isNoConstraint() {
        assertEquals(0.0, added("Give a one-paragraph explanation of attachment theory.", "Explain attachment theory in a single paragraph."));
        assertEquals(0.0, added("Explain plate tectonics in simple terms.", "Can you give me a plain-language explanation of plate tectonics?"));
        assertEquals(0.0, added("What's the intuition behind logistic regression?",
                "Give me an intuitive explanation of how logistic regression works."));
        assertEquals(1.0, added("Give a one-paragraph explanation of attachment theory.", "Explain attachment theory in three paragraphs."));
    }

    @Test
    void added_stepsAnExampleOrAFormNamedOtherwise_isTheSame() {
        assertEquals(0.0, added("Give me a step-by-step guide to creating an SSH key on Windows.",
                "How do I generate SSH keys on Windows? Number the steps please."));
        assertEquals(0.0, added("Describe the life cycle of a monarch butterfly step by step.",
                "Walk me through each stage of the monarch butterfly's life cycle."));
        assertEquals(0.0, added("Give a JSON example of a sensor reading with temperature and humidity.",
                "Show me a sample sensor reading in JSON with humidity and temperature fields."));
        assertEquals(0.0, added("Make a table comparing ABC, CO2 and water extinguishers.",
                "Compare water, CO2 and ABC fire extinguishers in tabular form."));
        assertEquals(0.0, added("Write a campfire story that's spooky but okay for little kids.",
                "Give me a mildly scary campfire tale that's still suitable for young children."));
        assertEquals(0.0, added("Compose some country music lyrics about a pickup truck that broke down.",
                "Write a country song about a broken-down pickup truck."));
        assertEquals(1.0, added("Compare shield volcanoes and cinder cones in a table.", "Compare shield volcanoes and cinder cones."));
        assertEquals(1.0, added("Explain how to change a car tire, step by step.", "Explain how to change a car tire."));
        assertEquals(1.0, added("Write a JavaScript debounce function and include a usage example.", "Write a JavaScript debounce function."));
    }

    @Test
    void added_aCurrencyOnlyOneSideNamesForTheSameSum_isNoConstraint() {
        assertEquals(0.0, added("What is the best laptop under 45k?", "Which is the best laptop to buy under INR 45K?"));
        assertEquals(0.0, added("What are the best earphones under 1000Rs?", "Which is the best earphone under 1000 INR?"));
        assertEquals(0.0, added("If you won 1 million dollars from the lottery, what would you do with the money?",
                "If you won 1 million from the lottery, what are you going to do with it?"));
        assertEquals(1.0, added("How much salary in AED equals 45 lakhs a year in Bangalore?",
                "How much salary in dollars equals 45 lakhs a year in Bangalore?"), "the currency a sum is turned into");
        assertEquals(1.0, added("What does an MBA in the US cost (in INR)?", "What does an MBA in the US cost?"), "no sum named");
    }

    @Test
    void added_aProgrammingLanguageNamedByItsLibrary_orMisread() {
        assertEquals(0.0, added("Write a Dockerfile for a Python Flask app using gunicorn.",
                "Create a Dockerfile that runs a Flask application under gunicorn."));
        assertEquals(0.0, added("How do I keep my fencing blade from rusting?",
                "What's the best way to stop my fencing blade from getting rusty?"), "rust on iron, not the language");
        assertEquals(1.0, added("How do I read a file line by line in Rust?", "How do I read a file line by line?"));
    }

    @Test
    void added_aLanguageThatIsTheSourceOfATranslation_isNotTheAnswers() {
        assertEquals(0.0, added("Translate our safety notice from Japanese into English.",
                "Please translate our safety notice, which is written in Japanese, into English."));
        assertEquals(1.0, added("Translate our safety notice into English.", "Translate our safety notice into German."));
    }

    @Test
    void added_aCurrencySignBesideANumberNamesItsCurrency() {
        assertEquals(0.0, added("Do I need to file a tax return if I earned $8,000?",
                "Do I need to file a tax return if I earned eight thousand dollars?"));
        assertEquals(0.0, added("How do I print $HOME in bash?", "How do I print the HOME variable in bash?"));
        assertEquals(1.0, added("Is 500\u20ac enough for a week in Rome?", "Is 500 dollars enough for a week in Rome?"));
    }

    @Test
    void added_aMannerAfterSounds() {
        assertEquals(1.0, added("Write a toast for my parents that sounds solemn.",
                "Write a toast for my parents that sounds lighthearted."));
        assertEquals(0.0, added("Write a toast for my parents that sounds a bit more solemn.",
                "Write a solemn toast for my parents."));
        assertEquals(1.0, added("Write a toast for my parents that sounds a bit more solemn.",
                "Write a toast for my parents that sounds a bit more lighthearted."));
    }

    @Test
    void mismatch_librariesAndFrameworksAreAClass() {
        assertEquals(1.0, mismatch("Build a todo app with React.", "Build a todo app with Vue."));
        assertEquals(1.0, mismatch("How do I read a CSV file with pandas?", "How do I read a CSV file with polars?"));
    }

    @Test
    void added_commonWordingsOfLengthAudienceAndFormat() {
        assertEquals(1.0, added("Explain black holes at length.", "Explain black holes briefly."));
        assertEquals(1.0, added("Explain inflation for executives.", "Explain inflation."));
        assertEquals(0.0, added("Write an executive summary of the report.", "Summarize the report in a short overview."),
                "an executive summary names no reader");
        assertEquals(1.0, added("Explain entropy for a PhD student.", "Explain entropy for high school students."));
        assertEquals(1.0, added("Explain vaccines for a general audience.", "Explain vaccines for immunologists."));
    }

    @Test
    void mismatch_checklistAndFaqAreFormats() {
        assertEquals(1.0, mismatch("Give me hiking safety tips as a checklist.", "Give me hiking safety tips as a short FAQ."));
    }

    @Test
    void added_questionsAboutThePersonOrTheirManner_areNoConstraint() {
        assertEquals(0.0, added("Is it healthy for a 15 year old to lift weights?", "Should a 15-year-old lift weights?"));
        assertEquals(0.0, added("What should I get my 10 year old for Christmas?", "Best Christmas gift for a 10 year old?"));
        assertEquals(0.0, added("How do I make friends at high school?", "How can I make friends in high school?"));
        assertEquals(0.0, added("What should I study at high school to become a doctor?",
                "Which subjects should I study to become a doctor?"), "a school as a place names no reader");
        // the same question with the place put in is a narrower one (RequestShape.phraseInserted)
        assertEquals(1.0, added("What should I study in high school to become a doctor?", "What should I study to become a doctor?"));
        assertEquals(0.0, added("Explain gravity to 5 year olds.", "Explain gravity to a 5-year-old."));
        assertEquals(0.0, added("How do I become a professional photographer?", "How can I become a photographer?"));
        assertEquals(0.0, added("How can I lose weight in a healthy manner?", "How can I lose weight healthily?"));
        assertEquals(0.0, added("Write a blog post about dieting in a healthy manner.", "Write a blog post about dieting healthily."),
                "an adverb in -ily names its adjective");
        assertEquals(0.0, added("How do I speak in a deep voice?", "How can I make my voice deeper?"));
        assertEquals(0.0, added("Is $50k a good salary in Austin?", "Is 50k a good salary in Austin?"),
                "a sign confirms or replaces a currency, it adds none");
    }

    @Test
    void added_anotherKindOfTextAskedFor_isOne() {
        assertEquals(1.0, added("Write a dramatic description of Vesuvius erupting in 79 AD.",
                "Write a dry, factual description of Vesuvius erupting in 79 AD."));
        assertEquals(1.0, added("Write an urgent message to my team about the outage.", "Write a calm message to my team about the outage."));
        assertEquals(1.0, added("Write me a professional email to my landlord.", "Write me an email to my landlord."));
        // plain praise or size, or a word the other text also has, asks for no other kind
        assertEquals(0.0, added("Write a good cover letter for a nursing job.", "Write a cover letter for a nursing job."));
        assertEquals(0.0, added("Write a short email to my boss asking for Friday off.", "Write an email to my boss asking for Friday off."));
        assertEquals(0.0, added("Write a persuasive essay on school uniforms.", "Write an essay on school uniforms that is persuasive."));
        assertEquals(0.0, added("How do I write a research paper?", "How do I write a paper for my research?"));
        assertEquals(0.0, added("Write a cheerful welcome message for new employees.",
                "Write an upbeat, cheerful message welcoming new staff."), "one kind named on both sides");
        assertEquals(0.0, added("Reply to this customer complaint apologetically.", "Write an apologetic reply to this customer complaint."));
    }

    @Test
    void added_aToneWordInAHyphenatedCompound_isNoTone() {
        assertEquals(1.0, added("Write a short friendly note to my neighbour.", "Write a short note to my neighbour."));
        assertEquals(0.0, added("Which budget-friendly mic is good for a podcast?",
                "What mic should I buy for a podcast on a budget?"));
    }

    @Test
    void added_readsPossessivesCompoundsSpokenAgesAndDegreeSigns() {
        assertEquals(0.0, added("What is the difference between a sonnet's octave and sestet?",
                "How does the octave of a sonnet differ from its sestet?"));
        assertEquals(0.0, added("Which budget-friendly mic is good for a podcast?",
                "What mic should I buy for a podcast on a budget?"), "a compound, not a tone");
        assertEquals(1.0, added("Write a friendly reminder email about the invoice.", "Write a reminder email about the invoice."));
        assertEquals(0.0, added("Explain mitosis like I'm twelve.", "Explain mitosis to a 12-year-old."));
        assertEquals(1.0, added("Explain mitosis like I am five.", "Explain mitosis."));
        assertEquals(0.0, added("Convert 25 degrees Celsius to Kelvin.", "What is 25\u00b0C in kelvins?"));
    }

    @Test
    void added_sameConstraintsOrOnlyANationality_isZero() {
        assertEquals(0.0, added("Write a haiku about cats.", "Compose a haiku about cats."));
        assertEquals(0.0, added("Briefly explain how vaccines work.", "Explain how vaccines work. Keep it brief."));
        // a nationality adjective on one side is as often a rewording ("the French capital")
        assertEquals(0.0, added("What is the French capital?", "What is the capital of France?"));
        // ... and a sentence or paragraph is as often what the prompt is about
        assertEquals(0.0, added("Translate this sentence into Portuguese: I lost my keys.",
                "How would you say 'I lost my keys' in Portuguese?"));
        assertEquals(0.0, added("Rewrite this paragraph to sound friendlier.", "Rewrite this to sound friendlier."));
        assertEquals(0.0, added("What is the subject in this sentence?", "What is the subject of this sentence?"));
        assertEquals(0.0, added("Translate the following paragraph into French.", "Translate this into French."));
        // a sentence for a paragraph is still another length, through the mismatch flag's veto
        assertEquals(1.0, mismatch("Write a sentence about cats.", "Write a paragraph about cats."));
        assertEquals(0.5, mismatch("Rewrite this paragraph to sound friendlier.", "Rewrite this to sound friendlier."),
                "the network's flag still sees the word, as in its training");
    }

    @Test
    void added_aNationalityBeforeANoun_isNoLanguageOfTheAnswer() {
        assertEquals(0.0, added("What call sign prefixes do amateur radio operators in Japan use?",
                "Which callsign prefixes are assigned to Japanese ham radio operators?"));
        assertEquals(1.0, added("Which callsign prefixes are assigned to ham radio operators? Answer in Japanese.",
                "Which callsign prefixes are assigned to ham radio operators?"));
        // a language, a listed word, an adverb or a new clause after it leaves it the answer's
        assertEquals(0.0, added("Write a welcome message for new students, in Mandarin.",
                "In Mandarin Chinese, write a message welcoming new students."));
        assertEquals(0.0, added("Weigh Spotify against Apple Music. Keep it brief. Respond in Dutch.",
                "Weigh Spotify against Apple Music in Dutch concisely."));
        assertEquals(1.0, added("In Hebrew, walk me through the buddy check.", "Walk me through the buddy check."));
    }

    @Test
    void added_oneStepAtATimeIsStepByStep() {
        assertEquals(0.0, added("Explain the pre-dive buddy check step by step.",
                "Walk me through the pre-dive buddy check one step at a time."));
        assertEquals(1.0, added("Explain the pre-dive buddy check one step at a time.", "Explain the pre-dive buddy check."));
    }

    @Test
    void added_aLengthGivenByAThingOfThatLength() {
        assertEquals(1.0, added("Write a postcard-length overview of why kombucha gets fizzy.",
                "Write a magazine-feature-length overview of why kombucha gets fizzy."));
        assertEquals(1.0, added("How do I fix target panic? A postcard's worth of advice is plenty.",
                "How do I fix target panic? I want a booklet-length guide."));
        assertEquals(1.0, added("How do I fix target panic? A postcard's worth of advice is plenty.", "How do I fix target panic?"));
        assertEquals(0.0, added("Give me a week's worth of dinner ideas.", "Give me dinner ideas for the whole week."));
        // every word of a hyphenated length is its value
        assertEquals(0.0, added("Write a magazine-feature-length overview of kombucha.",
                "Write an overview of kombucha as long as a magazine piece."));
        assertEquals(0.0, added("How should I style shoulder-length hair?", "What are good styles for shoulder-length hair?"));
    }

    @Test
    void mismatch_aUnitWrittenOntoItsNumber() {
        assertEquals(0.0, mismatch("Recommend four deep-sky objects for a 70mm refractor.",
                "What are 4 good deep-sky targets for a 70 mm refractor?"));
        assertEquals(1.0, mismatch("Is a 5kg dumbbell enough?", "Is a 5 lb dumbbell enough?"));
    }

    @Test
    void added_aRequirementAppendedInAClauseOfItsOwn() {
        assertEquals(1.0, added("Give me a 4-week archery training plan for a new recurve shooter.",
                "Give me a 4-week archery training plan for a new recurve shooter, with a warm-up routine for every session."));
    }

    @Test
    void directionSwap_twoSpansTradingPlaces_isOne() {
        assertEquals(1.0, swap("How much instant yeast should I use in place of 2 teaspoons of active dry yeast?",
                "How much active dry yeast should I use in place of 2 teaspoons of instant yeast?"));
    }

    @Test
    void added_aMannerAfterKeepItOrMakeIt() {
        assertEquals(1.0, added("Write a message to the HOA board about the broken gate; keep it courteous and restrained.",
                "Write a message to the HOA board about the broken gate; make it indignant."));
        assertEquals(0.0, added("Write a message to the HOA board about the broken gate; keep it courteous and restrained.",
                "Write a restrained message to the HOA board about the broken gate."));
        // a verb after "make it", or a listed word, sets no manner of its own; the sentence ends the slot
        assertEquals(0.0, added("Describe a night market in Taipei. Make it fit in a tweet.",
                "As a tweet, describe a night market in Taipei."));
        assertEquals(0.0, added("Give me an overview of the Black Death. Keep it friendly. Reply in Spanish.",
                "Sum up the Black Death in a friendly way, in Spanish."));
        assertEquals(1.0, added("Write a message to the HOA board about the broken gate; keep it courteous, please.",
                "Write a message to the HOA board about the broken gate; make it indignant, please."));
        // the words must end their clause: "make it delete …" asks for a behaviour, not a manner
        assertEquals(0.0, added("Write a service worker that caches the app shell, and make it delete outdated caches "
                + "when a new version activates.", "Write a service worker that caches the app shell. It should also "
                + "clean up old caches when a new version activates."));
    }

    @Test
    void mismatch_tldrAndDeepDiveAreLengths() {
        assertEquals(1.0, mismatch("Explain how webhook signature verification works. TL;DR only, please.",
                "Explain how webhook signature verification works. I want a deep dive, please."));
    }

    @Test
    void mismatch_moodsOfAToneAndShortOrLongAnswersAreConstraints() {
        assertEquals(1.0, mismatch("Compose an upbeat Instagram caption for our pumpkin patch opening.",
                "Compose a nostalgic, melancholy Instagram caption for our pumpkin patch opening."));
        assertEquals(1.0, mismatch("Quick answer: does coffee grounds compost help tomatoes?",
                "Long answer please, with evidence: does coffee grounds compost help tomatoes?"));
        // a short answer is a brief one, and cheerful is upbeat
        assertEquals(0.0, added("Short answer: how does a rainbow form?", "Tell me briefly how rainbows form."));
        assertEquals(0.0, added("Announce our bakery's new hours in an upbeat, happy tone.",
                "Write a cheerful announcement about our bakery's new hours."));
    }

    @Test
    void added_aValueTheOtherNamesLoosely_isZero_aLooseNameOfSomethingElseIsNot() {
        assertEquals(0.0, added("golang check if key exists in map", "go: test whether a map contains a key"));
        assertEquals(0.0, added("How do I check which version of Node.js is installed?",
                "How can I find out my installed Node version?"));
        assertEquals(0.0, added("How do I increase the heap size of the JVM?",
                "How can I give the Java virtual machine more heap memory?"));
        assertEquals(0.0, added("regex match email address", "regular expression to validate an e-mail"));
        // "node" is a node of a tree here, and JavaScript is named outright
        assertEquals(1.0, added("How do I delete a node from a binary tree in JavaScript?",
                "How do I delete a node from a binary tree?"));
        assertEquals(1.0, added("How do I read a file line by line in Python?", "How do I read a file line by line?"));
    }
}
