import FSLMPlugins
import Testing

/// Runs a validator the way the engine does, in a fixed context.
func verdict(_ validator: any Validator, _ output: String) async throws -> Verdict {
    try await validator.validate(output, in: ValidationContext(stage: "solve", inputs: [:], attempt: 1))
}

@Suite struct RegexValidatorTests {
    @Test func searchesUnlessAnchored() async throws {
        let search = try RegexValidator(pattern: #"\d+"#)
        #expect(try await verdict(search, "it is 42") == .pass)
        let anchored = try RegexValidator(pattern: #"^\d+$"#)
        #expect(try await verdict(anchored, "42") == .pass)
        #expect(try await verdict(anchored, "it is 42") == .fail(message: #"the reply must match ^\d+$; it was "it is 42""#, fix: nil))
    }

    @Test func failureQuotesTheReply() async throws {
        let v = try RegexValidator(pattern: #"^\d+ [-+*/] \d+ = -?\d+$"#)
        #expect(try await verdict(v, "3 + 5 = 8") == .pass)
        #expect(try await verdict(v, "3 + 5 equals 8")
                == .fail(message: #"the reply must match ^\d+ [-+*/] \d+ = -?\d+$; it was "3 + 5 equals 8""#, fix: nil))
    }

    @Test func anchorsMeanTheWholeReplyNotEachLine() async throws {
        let v = try RegexValidator(pattern: "^b$")
        #expect(try await verdict(v, "a\nb\nc") == .fail(message: #"the reply must match ^b$; it was "a\nb\nc""#, fix: nil))
        #expect(try await verdict(try RegexValidator(pattern: "(?m)^b$"), "a\nb\nc") == .pass)
        #expect(try await verdict(try RegexValidator(pattern: "^a$"), "a\n") == .pass)
    }

    @Test func inlineFlags() async throws {
        #expect(try await verdict(try RegexValidator(pattern: "(?i)^yes$"), "YES") == .pass)
        #expect(try await verdict(try RegexValidator(pattern: "^yes$"), "YES") != .pass)
    }

    @Test func invalidPatternThrows() {
        #expect {
            _ = try RegexValidator(pattern: "(\\d+")
        } throws: { error in
            let e = error as? ValidatorError
            return e?.validator == "regex" && e?.message.hasPrefix("'(\\d+' is not a valid regular expression: ") == true
        }
    }

    @Test func longRepliesAreShortenedInMessages() async throws {
        let long = String(repeating: "a", count: 100)
        let v = try RegexValidator(pattern: "^b")
        #expect(try await verdict(v, long)
                == .fail(message: "the reply must match ^b; it was \"\(String(repeating: "a", count: 80))…\"", fix: nil))
    }
}

@Suite struct ChoicesValidatorTests {
    let route = try! ChoicesValidator(["arithmetic", "conversion", "other"])

    @Test func exactChoicePasses() async throws {
        #expect(try await verdict(route, "conversion") == .pass)
    }

    @Test func otherRepliesFailNamingTheChoices() async throws {
        #expect(try await verdict(route, "maths")
                == .fail(message: #"the reply must be one of: arithmetic, conversion, other; it was "maths""#, fix: nil))
    }

    @Test func caseAndTrailingPeriodAndQuotesAreFixed() async throws {
        let message = { (reply: String) in "the reply must be one of: arithmetic, conversion, other; it was \"\(reply)\"" }
        #expect(try await verdict(route, "Arithmetic") == .fail(message: message("Arithmetic"), fix: "arithmetic"))
        #expect(try await verdict(route, "other.") == .fail(message: message("other."), fix: "other"))
        #expect(try await verdict(route, "OTHER.") == .fail(message: message("OTHER."), fix: "other"))
        #expect(try await verdict(route, "`conversion`") == .fail(message: message("`conversion`"), fix: "conversion"))
        #expect(try await verdict(route, "**other**") == .fail(message: message("**other**"), fix: "other"))
        #expect(try await verdict(route, "other!") == .fail(message: message("other!"), fix: nil))
        #expect(try await verdict(route, "other..") == .fail(message: message("other.."), fix: nil))
    }

    @Test func ambiguousFixIsNotOffered() async throws {
        let v = try ChoicesValidator(["Yes", "yes", "no"])
        #expect(try await verdict(v, "YES") == .fail(message: #"the reply must be one of: Yes, yes, no; it was "YES""#, fix: nil))
        #expect(try await verdict(v, "No.") == .fail(message: #"the reply must be one of: Yes, yes, no; it was "No.""#, fix: "no"))
    }

    @Test func emptyChoicesThrow() {
        #expect(throws: ValidatorError(validator: "choices", message: "'choices' needs at least one choice")) {
            _ = try ChoicesValidator([])
        }
    }
}

@Suite struct LengthValidatorTests {
    @Test func bounds() async throws {
        let v = try LengthValidator(min: 2, max: 5)
        #expect(try await verdict(v, "ab") == .pass)
        #expect(try await verdict(v, "abcde") == .pass)
        #expect(try await verdict(v, "a") == .fail(message: "the reply has 1 character; at least 2 are required", fix: nil))
        #expect(try await verdict(v, "abcdef") == .fail(message: "the reply has 6 characters; at most 5 are allowed", fix: nil))
    }

    @Test func theBriefsExample() async throws {
        let v = try LengthValidator(max: 200)
        #expect(try await verdict(v, String(repeating: "x", count: 212))
                == .fail(message: "the reply has 212 characters; at most 200 are allowed", fix: nil))
    }

    @Test func singularBounds() async throws {
        #expect(try await verdict(try LengthValidator(max: 1), "ab") == .fail(message: "the reply has 2 characters; at most 1 is allowed", fix: nil))
        #expect(try await verdict(try LengthValidator(min: 1), "") == .fail(message: "the reply has 0 characters; at least 1 is required", fix: nil))
    }

    @Test func countsCharactersNotScalarsOrBytes() async throws {
        let v = try LengthValidator(max: 3)
        let thumbs = "👍🏽"                          // 2 scalars, 8 UTF-8 bytes
        let family = "👨‍👩‍👧‍👦"                      // 7 scalars
        let decomposed = "e\u{301}"                // e + combining acute
        let flag = "🇫🇷"                           // 2 regional indicators
        #expect(thumbs.unicodeScalars.count == 2 && family.unicodeScalars.count == 7)
        #expect(try await verdict(v, thumbs + family + decomposed) == .pass)
        #expect(try await verdict(v, flag + flag + flag) == .pass)
        #expect(try await verdict(v, "cafe\u{301}") == .fail(message: "the reply has 4 characters; at most 3 are allowed", fix: nil))
    }

    @Test func badBoundsThrow() {
        #expect(throws: ValidatorError(validator: "length", message: "'length' needs 'min', 'max' or both, e.g. {length: {max: 200}}")) {
            _ = try LengthValidator()
        }
        #expect(throws: ValidatorError(validator: "length", message: "'length' has min 5 greater than max 2")) {
            _ = try LengthValidator(min: 5, max: 2)
        }
        #expect(throws: ValidatorError(validator: "length", message: "'length' has a negative max -1")) {
            _ = try LengthValidator(max: -1)
        }
    }
}

@Suite struct NotEmptyValidatorTests {
    @Test func whitespaceIsEmpty() async throws {
        let v = NotEmptyValidator()
        let failure = Verdict.fail(message: "the reply is empty; an answer is required", fix: nil)
        #expect(try await verdict(v, "") == failure)
        #expect(try await verdict(v, " \n\t\u{00A0}\u{3000}") == failure)
        #expect(try await verdict(v, "0") == .pass)
        #expect(try await verdict(v, " . ") == .pass)
    }
}

@Suite struct ContainsAndExcludesTests {
    @Test func contains() async throws {
        let v = try ContainsValidator("=")
        #expect(try await verdict(v, "3 + 5 = 8") == .pass)
        #expect(try await verdict(v, "3 + 5 is 8") == .fail(message: #"the reply must contain "="; it was "3 + 5 is 8""#, fix: nil))
    }

    @Test func containsIsCaseSensitiveAndCharacterWise() async throws {
        #expect(try await verdict(try ContainsValidator("Paris"), "paris") != .pass)
        #expect(try await verdict(try ContainsValidator("caf\u{E9}"), "un cafe\u{301}") == .pass)
        #expect(try await verdict(try ContainsValidator("e"), "\u{E9}") != .pass)
    }

    @Test func excludes() async throws {
        let v = try ExcludesValidator("?")
        #expect(try await verdict(v, "8") == .pass)
        #expect(try await verdict(v, "is it 8?") == .fail(message: #"the reply must not contain "?"; it was "is it 8?""#, fix: nil))
    }

    @Test func emptyTextThrows() {
        #expect(throws: ValidatorError(validator: "contains", message: "'contains' needs a non-empty text")) { _ = try ContainsValidator("") }
        #expect(throws: ValidatorError(validator: "excludes", message: "'excludes' needs a non-empty text")) { _ = try ExcludesValidator("") }
    }
}
