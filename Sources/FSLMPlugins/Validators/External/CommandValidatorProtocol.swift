import Foundation
import FSLMWorkflow

/// The exchange between fslm and a validator executable.
///
/// **Request** — one JSON object, written to the command's stdin as one line (ending in
/// `\n`; strings inside are escaped, so the object never spans lines):
///
///     {"attempt": 1, "inputs": {...}, "output": "...", "params": {...}, "stage": "..."}
///
/// `output` is the stage output to judge, `stage` the stage's name, `inputs` the run's
/// inputs, `params` the parameters the workflow gives the validator (`{}` when it gives
/// none), `attempt` 1 for the first attempt. Keys are sorted; a validator must ignore keys
/// it does not know, as more may be added.
///
/// **Answer** — one JSON object on stdout:
///
///     {"ok": true}
///     {"ok": false, "message": "the equation does not hold", "fix": "3 + 5 = 8"}
///
/// `message` is required (non-empty) when `ok` is false and is shown to the model on a
/// retry; `fix` is an optional corrected output (`null` means none). Other keys are
/// ignored. Anything else — no object, `ok` missing or not a boolean, a failure without a
/// message — is a protocol error, never a pass.
///
/// In `once` mode stdin is closed after the request, and stdout must hold the answer and
/// nothing else (surrounding whitespace aside); the exit status must be 0. In `serve` mode
/// the process reads requests line by line and writes exactly one answer line per request,
/// in order; see `CommandValidatorServer`.
public enum CommandValidatorProtocol {
    /// The request for judging `output`, as one line of UTF-8 ending in `\n`.
    static func request(output: String, context: ValidationContext, params: JSONValue?) -> [UInt8] {
        let request = Request(attempt: context.attempt, inputs: context.inputs, output: output,
                              params: params ?? .object([:]), stage: context.stage)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and JSONValues cannot fail short of a non-finite
        // number, which JSON cannot carry; those are sent as null rather than dropped.
        var bytes = (try? encoder.encode(request)).map(Array.init)
            ?? Array((try? encoder.encode(request.replacingNonFiniteNumbers())) ?? Data("{}".utf8))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The verdict in `answer` (a whole stdout in `once` mode, one line in `serve` mode),
    /// or a description of what is wrong with it.
    static func verdict(from answer: [UInt8]) -> Result<Verdict, AnswerProblem> {
        let text = String(decoding: answer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .failure(.empty) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            return .failure(.notJSON(excerpt: excerpt(text)))
        }
        guard case .object(let fields) = value else {
            return .failure(.badShape("the answer is not a JSON object: \(excerpt(text))"))
        }
        guard case .bool(let ok)? = fields["ok"] else {
            return .failure(.badShape("the answer needs \"ok\": true or false: \(excerpt(text))"))
        }
        if ok { return .success(.pass) }
        guard case .string(let message)? = fields["message"],
              !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .failure(.badShape("a failing answer needs a non-empty \"message\" string: \(excerpt(text))"))
        }
        switch fields["fix"] {
        case nil, .null?: return .success(.fail(message: message, fix: nil))
        case .string(let fix)?: return .success(.fail(message: message, fix: fix))
        case _?: return .failure(.badShape("\"fix\" must be a string or null: \(excerpt(text))"))
        }
    }

    /// What is wrong with an answer.
    enum AnswerProblem: Error, Equatable, CustomStringConvertible {
        case empty
        case notJSON(excerpt: String)
        case badShape(String)

        var description: String {
            switch self {
            case .empty: return #"printed no answer (expected a JSON verdict such as {"ok": true})"#
            case .notJSON(let excerpt): return "printed something that is not a JSON verdict: \(excerpt)"
            case .badShape(let what): return what
            }
        }
    }

    /// At most 200 characters of `text`, quoted, for messages.
    static func excerpt(_ text: String) -> String {
        let limit = 200
        let shown = text.count > limit ? String(text.prefix(limit)) + "… (\(text.utf8.count) bytes)" : text
        return "«\(shown)»"
    }

    private struct Request: Encodable {
        var attempt: Int
        var inputs: [String: JSONValue]
        var output: String
        var params: JSONValue
        var stage: String

        func replacingNonFiniteNumbers() -> Request {
            var copy = self
            copy.inputs = inputs.mapValues(\.finite)
            copy.params = params.finite
            return copy
        }
    }
}

private extension JSONValue {
    /// The value with NaN and infinities replaced by null.
    var finite: JSONValue {
        switch self {
        case .number(let n) where !n.isFinite: return .null
        case .array(let a): return .array(a.map(\.finite))
        case .object(let o): return .object(o.mapValues(\.finite))
        default: return self
        }
    }
}
