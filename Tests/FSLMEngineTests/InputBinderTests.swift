import FSLMEngine
import FSLMWorkflow
import Testing

@Suite struct InputBinderTests {
    let inputs: [InputSpec] = {
        let at = SourceLocation(file: "w.yaml", line: 1, column: 1)
        var n = InputSpec(name: "n", location: at, type: .number)
        n.defaultValue = .number(2)
        n.required = false
        return [InputSpec(name: "q", location: at), n, InputSpec(name: "flag", location: at, type: .boolean),
                InputSpec(name: "tags", location: at, type: .list)]
    }()

    @Test func convertsCommandLineTextToDeclaredTypes() {
        let b = InputBinder(inputs: inputs).bind(pairs: [("q", "hi"), ("n", "4.5"), ("flag", "true"), ("tags", "a, b")])
        #expect(b.isComplete)
        #expect(b.values == ["q": .string("hi"), "n": .number(4.5), "flag": .bool(true), "tags": .array([.string("a"), .string("b")])])
    }

    @Test func listsAcceptJSONArrays() {
        let b = InputBinder(inputs: inputs).bind(pairs: [("q", "x"), ("flag", "no"), ("tags", "[1, \"two\"]")])
        #expect(b.values["tags"] == .array([.number(1), .string("two")]))
        #expect(b.values["flag"] == .bool(false))
    }

    @Test func fillsDefaultsAndReportsProblems() {
        let b = InputBinder(inputs: inputs).bind(pairs: [("flag", "maybe"), ("zzz", "1")], file: ["tags": .string("not a list")])
        #expect(b.values["n"] == .number(2))
        #expect(b.missing == ["q"])
        #expect(b.mistyped.map(\.name).sorted() == ["flag", "tags"])
        #expect(b.unknown == ["zzz"])
        #expect(!b.isComplete)
    }

    @Test func commandLineWinsOverTheFile() {
        let b = InputBinder(inputs: inputs).bind(pairs: [("q", "cli")], file: ["q": .string("file"), "flag": .bool(true), "tags": .array([])])
        #expect(b.values["q"] == .string("cli"))
        #expect(b.isComplete)
    }
}
