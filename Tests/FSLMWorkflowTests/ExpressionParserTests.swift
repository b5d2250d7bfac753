import FSLMWorkflow
import Testing

/// Where the test expressions pretend to start: `w.yaml`, line 7, column 11.
private let origin = ScalarOrigin(start: FSLMWorkflow.SourceLocation(file: "w.yaml", line: 7, column: 11))

private func at(_ line: Int, _ column: Int) -> FSLMWorkflow.SourceLocation {
    FSLMWorkflow.SourceLocation(file: "w.yaml", line: line, column: column)
}

private func parse(_ text: String, origin: ScalarOrigin = origin) throws -> ParsedExpression {
    try ParsedExpression.parse(text, origin: origin).get()
}

private func parseError(_ text: String, origin: ScalarOrigin = origin) -> Diagnostic? {
    if case .failure(let diagnostic) = ParsedExpression.parse(text, origin: origin) { return diagnostic }
    return nil
}

/// The tree as an S-expression, e.g. `(&& (== inputs.a 1.0) inputs.b)`.
private func render(_ expression: Expression) -> String {
    switch expression {
    case .literal(let value, _): render(value)
    case .list(let items, _): "[" + items.map(render).joined(separator: " ") + "]"
    case .path(let path): path.text
    case .not(let operand, _): "(! \(render(operand)))"
    case .and(let l, let r, _): "(&& \(render(l)) \(render(r)))"
    case .or(let l, let r, _): "(|| \(render(l)) \(render(r)))"
    case .comparison(let op, let l, let r, _): "(\(op.rawValue) \(render(l)) \(render(r)))"
    case .matches(let subject, let pattern, _): "(matches \(render(subject)) /\(pattern.pattern)/)"
    }
}

private func render(_ value: ExpressionValue) -> String {
    switch value {
    case .string(let s): "\"\(s)\""
    case .number(let n): "\(n)"
    case .bool(let b): "\(b)"
    case .list(let items): "[" + items.map(render).joined(separator: " ") + "]"
    case .null: "null"
    }
}

private func tree(_ text: String) throws -> String { render(try parse(text).root) }

@Suite struct ExpressionParserTests {
    @Test func precedence() throws {
        #expect(try tree("inputs.a || inputs.b && inputs.c") == "(|| inputs.a (&& inputs.b inputs.c))")
        #expect(try tree("inputs.a && inputs.b || inputs.c") == "(|| (&& inputs.a inputs.b) inputs.c)")
        #expect(try tree("!inputs.a == 1 && inputs.b") == "(&& (! (== inputs.a 1.0)) inputs.b)")
        #expect(try tree("!!inputs.a") == "(! (! inputs.a))")
        #expect(try tree("inputs.a || inputs.b || inputs.c") == "(|| (|| inputs.a inputs.b) inputs.c)")
    }

    @Test func parentheses() throws {
        #expect(try tree("(inputs.a || inputs.b) && inputs.c") == "(&& (|| inputs.a inputs.b) inputs.c)")
        #expect(try tree("!(inputs.a && (inputs.b))") == "(! (&& inputs.a inputs.b))")
        #expect(try tree("(inputs.a == 1) == true") == "(== (== inputs.a 1.0) true)")
    }

    @Test func everyComparisonOperator() throws {
        for op in ["==", "!=", "<", "<=", ">", ">=", "in", "contains"] {
            #expect(try tree("inputs.a \(op) 1") == "(\(op) inputs.a 1.0)")
        }
        #expect(try tree("stages.s.output matches '^a+$'") == "(matches stages.s.output /^a+$/)")
        #expect(try tree("inputs.a<=2") == "(<= inputs.a 2.0)")
    }

    @Test func literals() throws {
        #expect(try tree(#"inputs.a in ["x", 'y', -2.5, 10, true, false, null, []]"#)
            == #"(in inputs.a ["x" "y" -2.5 10.0 true false null []])"#)
        #expect(try tree(#"inputs.a == "q\"\'\\\n\t""#) == "(== inputs.a \"q\"'\\\n\t\")")
        #expect(try tree(#"inputs.a == 'it\'s "so"'"#) == #"(== inputs.a "it's "so"")"#)
    }

    @Test func pathsAllowDashesUnderscoresAndDigits() throws {
        let parsed = try parse("inputs.my-input_2 == stages.step-1.status")
        #expect(parsed.references.map(\.text) == ["inputs.my-input_2", "stages.step-1.status"])
        #expect(parsed.references.map(\.target) == [.input(name: "my-input_2"), .stageStatus(stage: "step-1")])
    }

    @Test func referencesInSourceOrderWithColumns() throws {
        let parsed = try parse(#"stages.route.output == "x" && inputs.topic != stages.route.status"#)
        #expect(parsed.references.map(\.text) == ["stages.route.output", "inputs.topic", "stages.route.status"])
        #expect(parsed.references.map(\.location) == [at(7, 11), at(7, 41), at(7, 57)])
        #expect(parsed.references[0].components == ["stages", "route", "output"])
        #expect(parsed.references[0].target == .stageOutput(stage: "route"))
        #expect(parsed.references[2].location(ofComponent: 1) == at(7, 64))
        #expect(parsed.source == #"stages.route.output == "x" && inputs.topic != stages.route.status"#)
    }

    @Test func nodeLocations() throws {
        let root = try parse(#"inputs.a == "x" || !inputs.b"#).root
        #expect(root.location == at(7, 27))
        guard case .or(let left, let right, _) = root else { Issue.record("expected ||"); return }
        #expect(left.location == at(7, 20))
        #expect(right.location == at(7, 30))
    }

    @Test func locationsInBlockScalars() throws {
        let block = ScalarOrigin(start: at(8, 5), blockIndentColumn: 5)
        let parsed = try parse("inputs.a &&\n  stages.b.status == 'ok'", origin: block)
        #expect(parsed.references.map(\.location) == [at(8, 5), at(9, 7)])
        let error = parseError("inputs.a &&\n  stages.b", origin: block)
        #expect(error?.location == at(9, 7))
    }

    @Test(arguments: [
        (#"stages.route.output = "x""#, 31, "expected '==' to compare values, found '='"),
        (#"inputs.a == "abc"#, 23, "unterminated string"),
        ("inputs.a == 'abc\\", 23, "unterminated string"),
        (#"inputs.a == "a\q""#, 25, #"unknown escape sequence '\q'; valid escapes are \" \' \\ \n \t"#),
        ("inputs.a ==", 22, "unexpected end of expression; expected a value"),
        ("inputs.a ==   ", 22, "unexpected end of expression; expected a value"),
        ("", 11, "unexpected end of expression; expected a value"),
        ("inputs.a && )", 23, "expected a value, found ')'"),
        ("inputs.a == !inputs.b", 23, "expected a value, found '!'"),
        ("inputs.a inputs.b", 20, "expected an operator or the end of the expression, found 'inputs.b'"),
        ("inputs.a == 1 == 2", 25, "comparisons cannot be chained; join them with '&&' or '||', or add parentheses"),
        ("inputs.a in [1 2]", 26, "expected ',' or ']', found a number"),
        ("inputs.a & inputs.b", 20, "expected '&&', found '&'"),
        ("inputs.a | inputs.b", 20, "expected '||', found '|'"),
        ("inputs.a == #", 23, "unexpected character '#'"),
        ("inputs.a == - 1", 23, "expected a digit after '-'"),
        ("inputs.a == 1.", 24, "expected a digit after '.' in a number"),
        ("stages.route", 11, "incomplete path 'stages.route'; expected 'stages.ID.output' or 'stages.ID.status'"),
        ("stages == 1", 11, "incomplete path 'stages'; expected 'stages.ID.output' or 'stages.ID.status'"),
        ("inputs", 11, "incomplete path 'inputs'; expected 'inputs.NAME'"),
        ("inputs.a.b", 20, "too many components in 'inputs.a.b'; expected 'inputs.NAME'"),
        ("stages.a.output.x", 27,
         "too many components in 'stages.a.output.x'; expected 'stages.ID.output' or 'stages.ID.status'"),
        ("inputs.a. == 1", 19, "expected a name after '.' in 'inputs.a.'"),
        ("inputs..a", 17, "expected a name after '.' in 'inputs..a'"),
        ("inputs.x matches inputs.y", 28,
         "the right side of 'matches' must be a string literal holding a regular expression"),
    ])
    func syntaxErrors(text: String, column: Int, message: String) {
        let error = parseError(text)
        #expect(error?.id == .expressionSyntax)
        #expect(error?.severity == .error)
        #expect(error?.message == message)
        #expect(error?.location == at(7, column))
    }

    @Test func unclosedBracketsPointBackAtTheOpening() {
        let paren = parseError("(inputs.a == 1")
        #expect(paren?.message == "unexpected end of expression; expected ')' to close '('")
        #expect(paren?.location == at(7, 25))
        #expect(paren?.notes == [Diagnostic.Note("'(' opened here", at: at(7, 11))])

        let list = parseError("inputs.a in [1, 2")
        #expect(list?.message == "unexpected end of expression; expected ',' or ']'")
        #expect(list?.notes == [Diagnostic.Note("'[' opened here", at: at(7, 23))])
    }

    @Test func nestingBeyondTheLimitIsAnErrorNotAStackOverflow() {
        let deepest = String(repeating: "(", count: 100) + "true" + String(repeating: ")", count: 100)
        #expect(parseError(deepest) == nil)
        let tooDeep = "(" + deepest + ")"
        let error = parseError(tooDeep)
        #expect(error?.id == .expressionSyntax)
        #expect(error?.message == "condition is nested too deeply: more than 100 levels of parentheses, lists and '!'")
        #expect(error?.location == at(7, 11 + 100))
        // Thousands of levels, of each kind that nests, fail the same way.
        for hostile in [String(repeating: "(", count: 5_000) + "true", String(repeating: "!", count: 5_000) + "true",
                        "inputs.a in " + String(repeating: "[", count: 5_000), String(repeating: "!(", count: 3_000)]
        {
            #expect(parseError(hostile)?.message.hasPrefix("condition is nested too deeply") == true)
        }
    }

    @Test func unknownRootSuggestsInputs() {
        let error = parseError("input.x == 1")
        #expect(error?.message == "unknown path root 'input'; expected 'inputs.NAME', 'stages.ID.output' or 'stages.ID.status'")
        #expect(error?.location == at(7, 11))
        #expect(error?.notes.map(\.message) == ["did you mean 'inputs'?"])
        #expect(error?.fixIt?.replacement == "inputs")
    }

    @Test func unknownNamesAndFieldsSuggestCorrections() {
        let name = parseError("True")
        #expect(name?.message.hasPrefix("unknown name 'True'; expected a string, a number") == true)
        #expect(name?.notes.map(\.message) == ["did you mean 'true'?"])

        let field = parseError("stages.route.outptu == 'x'")
        #expect(field?.message == "unknown stage field 'outptu'; expected 'output' or 'status'")
        #expect(field?.location == at(7, 24))
        #expect(field?.fixIt?.replacement == "output")

        let far = parseError("widget.x")
        #expect(far?.notes == [])
        #expect(far?.fixIt == nil)
    }

    @Test func matchesCompilesItsPattern() throws {
        let error = parseError(#"inputs.a && stages.s.output matches "(abc""#)
        #expect(error?.id == .invalidRegex)
        #expect(error?.message == "invalid regular expression '(abc'")
        #expect(error?.location == at(7, 47))

        let parsed = try parse(#"stages.s.output matches "\\d+""#)
        guard case .matches(_, let pattern, _) = parsed.root else { Issue.record("expected matches"); return }
        #expect(pattern.pattern == #"\d+"#)
        #expect(pattern.location == at(7, 35))
    }
}
