import FSLMInference
import Foundation

/// Log-likelihood of a continuation after a context, from one forward pass over both.
enum Scoring {
    static func score(_ request: ScoreRequest, model: NativeModel) throws -> ScoreResult {
        let context = model.tokenizer.encode(request.context, addSpecialTokens: true)
        let continuation = model.tokenizer.encode(request.continuation, addSpecialTokens: false)
        guard !context.isEmpty, !continuation.isEmpty else {
            throw InferenceError(.unsupported, "scoring needs a non-empty context and continuation")
        }
        let tokens = context + continuation
        var cache = model.model.makeCache()
        let logits = try model.model.forwardAll(tokens: tokens, cache: &cache, adapter: try model.adapter(request.adapter))
        let vocabulary = model.config.vocabularySize
        var total = 0.0
        var greedy = true
        for (i, token) in continuation.enumerated() {
            // Position context.count - 1 + i predicts continuation[i].
            let row = Array(logits[(context.count - 1 + i) * vocabulary..<(context.count + i) * vocabulary])
            let maximum = row.max() ?? 0
            let logSum = log(row.reduce(0.0) { $0 + exp(Double($1 - maximum)) }) + Double(maximum)
            total += Double(row[token]) - logSum
            if row[token] < maximum { greedy = false }
        }
        return ScoreResult(logLikelihood: total, tokenCount: continuation.count, isGreedy: greedy)
    }
}
