import FSLMEngine
import Testing

/// The three metrics of `fslm eval`, and how `number` reads numbers.
@Suite struct EvalMetricTests {
    static let lastNumbers: [(String, Double?)] = [
        ("Mia has 8 stickers now.", 8),
        ("8", 8),
        ("-3", -3),
        ("x = -3.", -3),
        ("The answer is (-2).", -2),
        ("It is 2.5 km away.", 2.5),
        ("She paid 1,000 dollars.", 1000),
        ("12,345,678 people", 12_345_678),
        ("costs $1,234.50 today", 1234.5),
        ("3 + 5 = 8", 8),
        ("5-3", 3),  // a hyphen after a digit is not a sign
        ("item-5", 5),  // nor after a letter
        ("1,0000", 0),  // a group needs exactly three digits: 1, then 0000
        ("1,2,3", 3),
        ("1, 2, 3", 3),
        ("version 1.2.3", 3),
        ("no digits here", nil),
        ("", nil),
        ("- minus alone", nil),
    ]

    @Test(arguments: lastNumbers)
    func lastNumber(_ text: String, _ expected: Double?) {
        #expect(EvalNumber.last(in: text) == expected)
    }

    @Test func parseTakesOneWholeNumber() {
        #expect(EvalNumber.parse("8") == 8)
        #expect(EvalNumber.parse(" 42\n") == 42)
        #expect(EvalNumber.parse("1,000") == 1000)
        #expect(EvalNumber.parse("-0.5") == -0.5)
        #expect(EvalNumber.parse("007") == 7)
        for text in ["eight", "8 apples", "", "1e3", "+5", "8.", "1,00"] {
            #expect(EvalNumber.parse(text) == nil, "\(text)")
        }
    }

    @Test func exactTrimsBothSides() {
        #expect(EvalMetric.exact.matches("  The answer is 8.\n", expected: "The answer is 8. "))
        #expect(!EvalMetric.exact.matches("The answer is 8", expected: "The answer is 8."))
        #expect(!EvalMetric.exact.matches("the answer is 8.", expected: "The answer is 8."))
    }

    @Test func containsIsCaseSensitiveAndUntrimmed() {
        #expect(EvalMetric.contains.matches("12 + 30 is 42.", expected: "42"))
        #expect(!EvalMetric.contains.matches("Forty-two", expected: "forty"))
        #expect(!EvalMetric.contains.matches("42.", expected: " 42"))
    }

    @Test func numberComparesValues() {
        #expect(EvalMetric.number.matches("Mia has 8 stickers now.", expected: "8"))
        #expect(EvalMetric.number.matches("It is 8.0", expected: "8"))
        #expect(EvalMetric.number.matches("That makes 1,000.", expected: "1000"))
        #expect(!EvalMetric.number.matches("From 8 down to 3.", expected: "8"))
        #expect(!EvalMetric.number.matches("eight", expected: "8"))
        #expect(!EvalMetric.number.matches("8", expected: "eight"))
    }
}
