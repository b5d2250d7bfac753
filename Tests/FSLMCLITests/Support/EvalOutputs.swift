import Foundation

/// The object `fslm eval --json` prints (one per workflow under `{"workflows": [...]}` with `--compare`).
struct EvalJSON: Decodable {
    struct Stage: Decodable, Equatable {
        var retries: Int
        var validatorFailures: Int
    }

    struct Tag: Decodable, Equatable {
        var cases: Int
        var passed: Int
        var accuracy: Double
    }

    struct Result: Decodable {
        var line: Int
        var passed: Bool
        var outputs: [String: String]
        var expect: [String: String]
        var metric: String
        var tags: [String]
        var error: String?
        var latencyMs: Double
        var attempts: Int
        var tokens: Int
    }

    struct Latency: Decodable {
        var mean: Double
        var p95: Double
    }

    var workflow: String
    var singleAttempt: Bool
    var cases: Int
    var passed: Int
    var accuracy: Double
    var errors: Int
    var tokens: Int
    var tokensPerCase: Double
    var latencyMs: Latency
    var stages: [String: Stage]
    var tags: [String: Tag]
    var results: [Result]

    static func decode(_ json: String) throws -> EvalJSON {
        try decoder.decode(EvalJSON.self, from: Data(json.utf8))
    }

    /// The reports of `--compare --json`.
    static func decodeComparison(_ json: String) throws -> [EvalJSON] {
        struct Comparison: Decodable { var workflows: [EvalJSON] }
        return try decoder.decode(Comparison.self, from: Data(json.utf8)).workflows
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
