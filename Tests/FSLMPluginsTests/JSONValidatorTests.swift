import FSLMPlugins
import Testing

@Suite struct JSONValidatorTests {
    let json = JSONValidator()

    private func problem(_ reply: String) async throws -> String? {
        switch try await verdict(json, reply) {
        case .pass: return nil
        case .fail(let message, _): return message
        }
    }

    @Test(arguments: ["3", "-0.5e+10", "\"x\"", "true", "false", "null", "{}", "[]", " {\"a\": [1, 2.5, {\"b\": null}]} ",
                      "\"caf\\u00e9 \\\"q\\\" \\n\"", "[\"👍🏽\", \"e\u{301}\"]", "{\"a\":1,\n \"b\":2}"])
    func validValuesPass(_ reply: String) async throws {
        #expect(try await verdict(json, reply) == .pass)
    }

    @Test func emptyIsNotJSON() async throws {
        #expect(try await problem("") == "the reply is not valid JSON: it is empty; expected one JSON value")
        #expect(try await problem("  ") == "the reply is not valid JSON: it is empty; expected one JSON value")
    }

    @Test func trailingTextFails() async throws {
        #expect(try await problem("{\"a\": 1} trailing")
                == #"the reply is not valid JSON: unexpected text after the JSON value at position 10: "trailing""#)
        #expect(try await problem("{\"a\":1}\n{\"b\":2}")
                == #"the reply is not valid JSON: unexpected text after the JSON value at line 2, column 1: "{"b":2}""#)
        #expect(try await problem("3 4") == #"the reply is not valid JSON: unexpected text after the JSON value at position 3: "4""#)
    }

    @Test func positionedProblems() async throws {
        #expect(try await problem("{\"a\": 1 \"b\": 2}")
                == "the reply is not valid JSON: unexpected character '\"' at position 9; expected ',' or '}'")
        #expect(try await problem("{\"a\": tru}")
                == "the reply is not valid JSON: unexpected word 'tru' at position 7; expected a value (strings need double quotes)")
        #expect(try await problem("{a: 1}") == "the reply is not valid JSON: unquoted key 'a' at position 2; keys need double quotes")
        #expect(try await problem("{'a': 1}") == "the reply is not valid JSON: single quote at position 2; keys need double quotes")
        #expect(try await problem("['a']") == "the reply is not valid JSON: single quote at position 2; strings need double quotes")
        #expect(try await problem("[1, 2,]") == "the reply is not valid JSON: extra comma at position 6 before ']'")
        #expect(try await problem("{\"a\": 1,}") == "the reply is not valid JSON: extra comma at position 8 before '}'")
        #expect(try await problem("01") == "the reply is not valid JSON: number with a leading zero at position 1")
        #expect(try await problem("1.") == "the reply is not valid JSON: it ends too early; expected a digit after '.'")
        #expect(try await problem("-x") == "the reply is not valid JSON: unexpected character 'x' at position 2; expected a digit after '-'")
        #expect(try await problem("\"\\x\"")
                == #"the reply is not valid JSON: invalid escape '\x' at position 2; valid escapes are \" \\ \/ \b \f \n \r \t \uXXXX"#)
        #expect(try await problem("\"\\u12g4\"") == "the reply is not valid JSON: invalid \\u escape at position 2; it needs four hex digits")
        #expect(try await problem("hello") == "the reply is not valid JSON: unexpected word 'hello' at position 1; expected a value (strings need double quotes)")
        #expect(try await problem("👍 1") == "the reply is not valid JSON: unexpected character '👍' at position 1; expected a value")
        #expect(try await problem("[\"e\u{301}\", x]") == "the reply is not valid JSON: unexpected word 'x' at position 7; expected a value (strings need double quotes)")
    }

    @Test func incompleteValues() async throws {
        #expect(try await problem("[1, 2") == "the reply is not valid JSON: it ends too early; expected ',' or ']'")
        #expect(try await problem("{\"a\"") == "the reply is not valid JSON: it ends too early; expected ':'")
        #expect(try await problem("{\"a\": ") == "the reply is not valid JSON: it ends too early; expected a value")
        #expect(try await problem("\"abc") == "the reply is not valid JSON: the string that starts at position 1 is never closed; expected '\"'")
    }

    @Test func controlCharactersInStrings() async throws {
        #expect(try await problem("[\"a\nb\"]") == "the reply is not valid JSON: line break inside a string at line 1, column 4; write it as \\n")
        #expect(try await problem("\"a\tb\"") == "the reply is not valid JSON: control character \\t inside a string at position 3; escape it")
    }

    @Test func valuesFoundationCannotHoldFail() async throws {
        let message = try await problem("1e400")
        #expect(message?.hasPrefix("the reply is not valid JSON: ") == true)
    }

    @Test func nestingIsBounded() async throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(try await problem(deep) == "the reply is not valid JSON: nesting deeper than 200 levels at position 201")
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(try await verdict(json, fine) == .pass)
    }

    @Test func codeFenceIsFixed() async throws {
        let fenced = "```json\n{\"a\": 1}\n```"
        #expect(try await verdict(json, fenced)
                == .fail(message: "the reply is not valid JSON: it is wrapped in a ``` code block; reply with the JSON only", fix: "{\"a\": 1}"))
        #expect(try await verdict(json, "```\n[1]\n```")
                == .fail(message: "the reply is not valid JSON: it is wrapped in a ``` code block; reply with the JSON only", fix: "[1]"))
        let broken = "```json\n{a: 1}\n```"
        #expect(try await verdict(json, broken)
                == .fail(message: "the reply is not valid JSON: unexpected character '`' at line 1, column 1; expected a value", fix: nil))
    }
}
