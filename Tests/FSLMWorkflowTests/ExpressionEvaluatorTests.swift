import FSLMWorkflow
import Testing

/// Path values keyed by path text; missing paths are unknown.
private struct DictionaryEnvironment: ExpressionEnvironment {
    var values: [String: ExpressionValue]

    func value(of path: ExpressionPath) -> ExpressionValue? { values[path.text] }
}

private let origin = ScalarOrigin(start: FSLMWorkflow.SourceLocation(file: "w.yaml", line: 7, column: 11))

private func column(_ column: Int) -> FSLMWorkflow.SourceLocation {
    FSLMWorkflow.SourceLocation(file: "w.yaml", line: 7, column: column)
}

private func evaluate(_ text: String, _ values: [String: ExpressionValue] = [:]) throws -> Truth {
    let parsed = try ParsedExpression.parse(text, origin: origin).get()
    return try ExpressionEvaluator.evaluate(parsed, in: DictionaryEnvironment(values: values))
}

private func evaluationError(_ text: String, _ values: [String: ExpressionValue] = [:]) -> ExpressionEvaluationError? {
    do {
        let parsed = try ParsedExpression.parse(text, origin: origin).get()
        _ = try ExpressionEvaluator.evaluate(parsed, in: DictionaryEnvironment(values: values))
        return nil
    } catch let error as ExpressionEvaluationError {
        return error
    } catch {
        return nil
    }
}

@Suite struct ExpressionEvaluatorTests {
    @Test func logic() throws {
        #expect(try evaluate("true && !false") == .true)
        #expect(try evaluate("true && false") == .false)
        #expect(try evaluate("false || true") == .true)
        #expect(try evaluate("false || false") == .false)
        #expect(try evaluate("!(true && false) && (false || true)") == .true)
        #expect(try evaluate("true || false && false") == .true)
        #expect(try evaluate("(true || false) && false") == .false)
    }

    @Test func equality() throws {
        #expect(try evaluate(#"inputs.mode == "fast""#, ["inputs.mode": .string("fast")]) == .true)
        #expect(try evaluate(#"inputs.mode != "fast""#, ["inputs.mode": .string("slow")]) == .true)
        #expect(try evaluate("1 == 1.0 && true != false") == .true)
        #expect(try evaluate("null == null") == .true)
        #expect(try evaluate("null == '' || null == 0 || null == false") == .false)
        #expect(try evaluate("[1, 'a'] == ['1', 'a']") == .true)
        #expect(try evaluate("[1, 2] == [1]") == .false)
        #expect(try evaluate("true == 'true'") == .false)
    }

    @Test func stringsCompareByUnicodeScalars() throws {
        #expect(try evaluate("'\u{E9}' == 'e\u{301}'") == .false)
        #expect(try evaluate("'\u{E9}' in 'caf\u{E9}'") == .true)
        #expect(try evaluate("'e' in 'caf\u{E9}'") == .false)
        #expect(try evaluate("'Z' < 'a'") == .true)
    }

    @Test func numbersAndNumericStrings() throws {
        let env: [String: ExpressionValue] = ["stages.count.output": .string("3")]
        #expect(try evaluate("stages.count.output == 3", env) == .true)
        #expect(try evaluate("3 == stages.count.output", env) == .true)
        #expect(try evaluate("stages.count.output == 3.0", env) == .true)
        #expect(try evaluate("stages.count.output > 2.5", env) == .true)
        #expect(try evaluate("stages.count.output <= -1", env) == .false)
        #expect(try evaluate("' 3\n' == 3") == .true)
        #expect(try evaluate("'3.0' == 3 && '3.0' != '3'") == .true)
        #expect(try evaluate("'abc' == 3 || '0x3' == 3 || '3e0' == 3") == .false)
        #expect(try evaluate("'10' > '9'") == .true)
        #expect(try evaluate("'10' > 'a9'") == .false)
        #expect(try evaluate("'abc' < 'abd' && 'b' >= 'b' && 'b' <= 'c'") == .true)
        #expect(try evaluate("2 < 3 && 3 <= 3 && 4 > 3 && 3 >= 3 && !(3 < 3)") == .true)
    }

    @Test func orderingRejectsOtherKinds() {
        let error = evaluationError("inputs.n < 'abc'", ["inputs.n": .number(3)])
        #expect(error?.message == "'<' cannot order a number and a non-numeric string")
        #expect(error?.location == column(20))
        #expect(evaluationError("true >= 1")?.message == "'>=' cannot order a boolean and a number")
        #expect(evaluationError("null > 'a'")?.message == "'>' cannot order null and a string")
        #expect(evaluationError("[1] <= [2]")?.message == "'<=' cannot order a list and a list")
    }

    @Test func membership() throws {
        #expect(try evaluate("'b' in ['a', 'b']") == .true)
        #expect(try evaluate("'c' in ['a', 'b']") == .false)
        #expect(try evaluate("3 in ['1', '3']") == .true)
        #expect(try evaluate("'ell' in 'hello' && '' in 'x'") == .true)
        #expect(try evaluate("'hello' in 'ell'") == .false)
        #expect(try evaluate("['a', 'b'] contains 'b'") == .true)
        #expect(try evaluate("'hello' contains 'ell'") == .true)
        #expect(try evaluate("'ell' contains 'hello'") == .false)
        #expect(try evaluate(
            "stages.route.output in ['a', 'b']", ["stages.route.output": .string("b")]) == .true)
        #expect(evaluationError("3 in 'a3'")?.message == "'in' can only search a string for a string, got a number")
        #expect(evaluationError("'a' in 5")?.message == "'in' needs a list or a string to search in, got a number")
        #expect(evaluationError("null contains 'a'")?.message == "'contains' needs a list or a string to search in, got null")
    }

    @Test func matchesSearchesUnanchored() throws {
        let env: [String: ExpressionValue] = ["stages.s.output": .string("Answer: 42 apples")]
        #expect(try evaluate(#"stages.s.output matches "\\d+""#, env) == .true)
        #expect(try evaluate("stages.s.output matches '^42'", env) == .false)
        #expect(try evaluate(#"stages.s.output matches '^Answer:\\s'"#, env) == .true)
        let error = evaluationError("inputs.n matches 'x'", ["inputs.n": .number(1)])
        #expect(error?.message == "'matches' needs a string on its left, got a number")
        #expect(error?.location == column(20))
    }

    @Test func stageStatus() throws {
        let env: [String: ExpressionValue] = ["stages.a.status": .string("failed")]
        #expect(try evaluate("stages.a.status == 'failed'", env) == .true)
        #expect(try evaluate("stages.a.status in ['succeeded', 'skipped']", env) == .false)
    }

    @Test func unknownValuesPropagate() throws {
        #expect(try evaluate("inputs.x == 1") == .unknown)
        #expect(try evaluate("!(inputs.x == 1)") == .unknown)
        #expect(try evaluate("inputs.x") == .unknown)
        #expect(try evaluate("'a' in [inputs.x, 'a']") == .unknown)
        #expect(try evaluate("inputs.x matches 'a'") == .unknown)
        #expect(try evaluate("true && inputs.x == 1") == .unknown)
        #expect(try evaluate("inputs.x == 1 && true") == .unknown)
        #expect(try evaluate("false || inputs.x == 1") == .unknown)
        #expect(try evaluate("inputs.x == 1 || false") == .unknown)
        #expect(try evaluate("inputs.x == 1 && inputs.y == 1") == .unknown)
    }

    @Test func decidedResultsIgnoreUnknowns() throws {
        #expect(try evaluate("false && inputs.x == 1") == .false)
        #expect(try evaluate("inputs.x == 1 && false") == .false)
        #expect(try evaluate("true || inputs.x == 1") == .true)
        #expect(try evaluate("inputs.x == 1 || true") == .true)
        #expect(try evaluate("stages.a.status == 'failed' || inputs.x", ["stages.a.status": .string("failed")]) == .true)
    }

    @Test func shortCircuitSkipsTheRightSide() throws {
        #expect(try evaluate("false && 'not a boolean'") == .false)
        #expect(try evaluate("true || 'not a boolean'") == .true)
        #expect(evaluationError("true && 'x'")?.message == "'&&' needs true or false, got a string")
    }

    @Test func logicalOperatorsNeedBooleans() {
        let error = evaluationError("true && inputs.n", ["inputs.n": .number(2)])
        #expect(error?.message == "'&&' needs true or false, got a number")
        #expect(error?.location == column(19))
        #expect(evaluationError("!'x'")?.message == "'!' needs true or false, got a string")
        #expect(evaluationError("false || null")?.message == "'||' needs true or false, got null")
    }

    @Test func conditionMustBeBoolean() {
        let error = evaluationError("inputs.topic", ["inputs.topic": .string("cats")])
        #expect(error?.message == "condition must be true or false, got a string")
        #expect(error?.location == column(11))
        #expect(error?.description == "w.yaml:7:11: condition must be true or false, got a string")
        #expect(evaluationError("(3)")?.message == "condition must be true or false, got a number")
        #expect(evaluationError("['a']")?.message == "condition must be true or false, got a list")
        #expect(evaluationError("null")?.message == "condition must be true or false, got null")
    }
}
