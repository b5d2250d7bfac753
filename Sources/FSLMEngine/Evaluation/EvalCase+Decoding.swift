import FSLMTransformer
import FSLMWorkflow

/// The parser's values (members in file order, exact integers), before conversion.
private typealias ParsedJSON = FSLMTransformer.JSONValue

/// Every problem of a cases file that could not be read.
public struct EvalCasesError: Error, Sendable, Hashable {
    public var problems: [EvalCaseProblem]
}

extension EvalCase {
    /// The keys a case may have.
    static let keys = ["inputs", "expect", "metric", "tags"]

    /// Reads a cases file: one JSON object per line (blank lines are skipped), parsed with
    /// the strict `JSONParser` (a duplicate key is an error). `expect` is required and maps
    /// output names to strings or numbers; `inputs` (an object), `metric` and `tags` (a list
    /// of strings) are optional. Throws every problem of every line.
    public static func decode(jsonLines bytes: [UInt8]) throws(EvalCasesError) -> [EvalCase] {
        var cases: [EvalCase] = []
        var problems: [EvalCaseProblem] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            lineNumber += 1
            var line = bytes[start..<end]
            start = end + 1
            if line.last == 0x0D { line = line.dropLast() }
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            switch decodeLine(Array(line), number: lineNumber) {
            case .success(let c): cases.append(c)
            case .failure(let lineProblems): problems += lineProblems.problems
            }
        }
        guard problems.isEmpty else { throw EvalCasesError(problems: problems) }
        return cases
    }

    private static func decodeLine(_ line: [UInt8], number: Int) -> Result<EvalCase, EvalCasesError> {
        func problem(_ message: String, column: Int = 1) -> EvalCaseProblem {
            EvalCaseProblem(line: number, column: column, message: message)
        }
        let parsed = line.withUnsafeBytes { bytes in
            Result { () throws(JSONParseError) in try JSONParser.parse(bytes) }
        }
        let value: ParsedJSON
        switch parsed {
        case .success(let v): value = v
        case .failure(let error):
            // Columns count characters: every byte that does not continue a UTF-8 sequence.
            let column = line.prefix(error.offset).count { $0 & 0xC0 != 0x80 } + 1
            return .failure(EvalCasesError(problems: [problem("invalid JSON: \(error.problem)", column: column)]))
        }
        guard case .object(let members) = value else {
            return .failure(EvalCasesError(problems: [problem("a case must be a JSON object, got \(describe(value))")]))
        }
        var problems: [EvalCaseProblem] = []
        var c = EvalCase(line: number, expect: [:])
        var sawExpect = false
        for (key, member) in members {
            switch (key, member) {
            case ("inputs", .object(let inputs)):
                c.inputs = Dictionary(inputs.map { ($0.key, convert($0.value)) }, uniquingKeysWith: { first, _ in first })
            case ("expect", .object(let expected)):
                sawExpect = true
                if expected.isEmpty { problems.append(problem("'expect' is empty; name at least one output and its expected value")) }
                for (name, v) in expected {
                    switch v {
                    case .string(let s): c.expect[name] = s
                    case .int(let i): c.expect[name] = String(i)
                    case .double(let d): c.expect[name] = FSLMWorkflow.JSONValue.format(d)
                    default: problems.append(problem("'expect' gives '\(name)' as \(describe(v)); expected a string or a number"))
                    }
                }
            case ("metric", .string(let name)):
                if let metric = EvalMetric(rawValue: name) {
                    c.metric = metric
                } else {
                    problems.append(problem(unknownMetricMessage(name)))
                }
            case ("tags", .array(let tags)):
                for tag in tags {
                    guard case .string(let s) = tag else {
                        problems.append(problem("'tags' must be a list of strings; it holds \(describe(tag))"))
                        break
                    }
                    c.tags.append(s)
                }
            case ("inputs", _), ("expect", _), ("metric", _), ("tags", _):
                let wanted = ["inputs": "an object", "expect": "an object", "metric": "a string", "tags": "a list of strings"][key]!
                problems.append(problem("'\(key)' must be \(wanted), got \(describe(member))"))
                if key == "expect" { sawExpect = true }
            default:
                var message = "unknown key '\(key)' (a case has \(keys.joined(separator: ", ")))"
                if let near = EditDistance.suggestion(for: key, among: keys) { message += "; did you mean '\(near)'?" }
                problems.append(problem(message))
            }
        }
        if !sawExpect { problems.append(problem("a case needs 'expect', an object of output names and expected values")) }
        return problems.isEmpty ? .success(c) : .failure(EvalCasesError(problems: problems))
    }

    /// "unknown metric 'x' (exact, contains or number)", with a suggestion when one is near.
    private static func unknownMetricMessage(_ name: String) -> String {
        var message = "unknown metric '\(name)' (exact, contains or number)"
        if let near = EditDistance.suggestion(for: name, among: EvalMetric.allCases.map(\.rawValue)) { message += "; did you mean '\(near)'?" }
        return message
    }

    /// A parsed value as inputs hold it (numbers as doubles, objects as dictionaries).
    private static func convert(_ value: ParsedJSON) -> FSLMWorkflow.JSONValue {
        switch value {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .number(Double(i))
        case .double(let d): .number(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(convert))
        case .object(let o): .object(Dictionary(o.map { ($0.key, convert($0.value)) }, uniquingKeysWith: { first, _ in first }))
        }
    }

    /// "a string", "an object", "null"... for messages.
    private static func describe(_ value: ParsedJSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
