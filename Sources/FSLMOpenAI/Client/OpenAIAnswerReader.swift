import AsyncHTTPClient
import FSLMInference
import Foundation
import NIOCore

/// Reads a server's 200 answer, whole or streamed, into a `GenerationResult`, applying the
/// request's stop strings. Anything that is not a well-formed completion is a `RequestFailure`
/// saying what was wrong and quoting the start of what came.
struct OpenAIAnswerReader {
    let url: String
    let api: OpenAIEndpoint.API
    let stop: [String]
    let timeout: Duration

    /// The largest whole answer read.
    static let maxBody = 16 << 20

    /// What one answer or stream chunk says.
    struct Piece {
        var text: String
        var finishReason: String?
        var stopReason: String?
        var usage: Usage?
    }

    func readWhole(_ body: HTTPClientResponse.Body) async throws -> GenerationResult {
        let clock = ContinuousClock()
        let started = clock.now
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: Self.maxBody)
        } catch {
            try Task.checkCancellation()
            throw RequestFailure("the answer from \(url) broke off: \(OpenAIModel.describe(error, timeout: timeout))")
        }
        let piece = try decode(Data(buffer.readableBytesView), chunk: false)
        var stops = StopStrings(stop)
        let text = stops.push(piece.text).emit + stops.finish()
        return GenerationResult(
            text: text, finishReason: finishReason(piece.finishReason, piece.stopReason, stoppedHere: stops.isStopped),
            promptTokens: piece.usage?.promptTokens ?? 0, completionTokens: piece.usage?.completionTokens ?? 0,
            promptDuration: clock.now - started)
    }

    /// Reads server-sent events to `data: [DONE]`, passing each piece of text on as it comes.
    func readStream(_ body: HTTPClientResponse.Body, onText: @Sendable (String) -> Void) async throws -> GenerationResult {
        let clock = ContinuousClock()
        let started = clock.now
        var firstPiece: ContinuousClock.Instant?
        var parser = ServerSentEventParser()
        var stops = StopStrings(stop)
        var text = "", pieces = 0, done = false
        var finish: String?, stopReason: String?, usage: Usage?
        do {
            reading: for try await buffer in body {
                for event in parser.push(buffer.readableBytesView) {
                    if event.data == "[DONE]" {
                        done = true
                        break reading
                    }
                    let piece = try decode(Data(event.data.utf8), chunk: true)
                    usage = piece.usage ?? usage
                    if let f = piece.finishReason { (finish, stopReason) = (f, piece.stopReason) }
                    guard !piece.text.isEmpty, !stops.isStopped else { continue }
                    pieces += 1
                    firstPiece = firstPiece ?? clock.now
                    let emit = stops.push(piece.text).emit
                    text += emit
                    if !emit.isEmpty { onText(emit) }
                }
            }
        } catch let failure as RequestFailure {
            throw failure
        } catch {
            try Task.checkCancellation()
            // Before any text was passed on, trying again is invisible to the caller.
            throw RequestFailure("the stream from \(url) broke off: \(OpenAIModel.describe(error, timeout: timeout))", retryable: text.isEmpty)
        }
        guard done else {
            let how = parser.hasPartialEvent ? "in the middle of an event" : "before 'data: [DONE]'"
            throw RequestFailure("the stream from \(url) ended \(how): the answer is cut short")
        }
        let rest = stops.finish()
        text += rest
        if !rest.isEmpty { onText(rest) }
        let now = clock.now
        return GenerationResult(
            text: text, finishReason: finishReason(finish, stopReason, stoppedHere: stops.isStopped),
            promptTokens: usage?.promptTokens ?? 0, completionTokens: usage?.completionTokens ?? pieces,
            promptDuration: (firstPiece ?? now) - started, generationDuration: now - (firstPiece ?? now))
    }

    private func finishReason(_ wire: String?, _ stopReason: String?, stoppedHere: Bool) -> GenerationResult.FinishReason {
        stoppedHere ? .stop : GenerationResult.FinishReason(wireName: wire, stopReason: stopReason)
    }

    /// The piece an answer (or a stream chunk) holds; an `error` object is the server's failure.
    func decode(_ data: Data, chunk: Bool) throws -> Piece {
        let decoder = JSONDecoder()
        if let error = try? decoder.decode(ErrorResponse.self, from: data) {
            throw RequestFailure("\(url) reported an error: \(error.error.message)")
        }
        do {
            switch api {
            case .completions:
                let answer = try decoder.decode(CompletionResponse.self, from: data)
                guard let choice = answer.choices.first else { return try empty(answer.usage, chunk: chunk, data) }
                return Piece(text: choice.text, finishReason: choice.finishReason, stopReason: choice.stopReason, usage: answer.usage)
            case .chat:
                let answer = try decoder.decode(ChatCompletionResponse.self, from: data)
                guard let choice = answer.choices.first else { return try empty(answer.usage, chunk: chunk, data) }
                let content = chunk ? choice.delta?.content : choice.message?.content
                return Piece(text: content ?? "", finishReason: choice.finishReason, stopReason: choice.stopReason, usage: answer.usage)
            }
        } catch let failure as RequestFailure {
            throw failure
        } catch {
            throw malformed(Self.explain(error), data)
        }
    }

    /// A chunk without choices carries only the usage; a whole answer without one is malformed.
    private func empty(_ usage: Usage?, chunk: Bool, _ data: Data) throws -> Piece {
        guard chunk else { throw malformed("'choices' is empty", data) }
        return Piece(text: "", usage: usage)
    }

    private func malformed(_ why: String, _ data: Data) -> RequestFailure {
        let shown = String(decoding: data.prefix(200), as: UTF8.self)
        let what = api == .chat ? "chat completion" : "completion"
        return RequestFailure("malformed answer from \(url): not a \(what) (\(why)); it began '\(shown)'")
    }

    /// A decoding error in a few words.
    static func explain(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?: return "no '\(path(context.codingPath + [key]))'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?: return "'\(path(context.codingPath))' has the wrong type"
        case .dataCorrupted(let context)? where context.codingPath.isEmpty: return "not valid JSON"
        case .dataCorrupted(let context)?: return "'\(path(context.codingPath))': \(context.debugDescription)"
        default: return "\(error)"
        }
    }

    /// The message of an error answer's body: `error.message` of OpenAI's error object, or the
    /// start of the body as text.
    static func serverMessage(_ body: String) -> String {
        if let error = try? JSONDecoder().decode(ErrorResponse.self, from: Data(body.utf8)) { return error.error.message }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.count > 300 ? String(text.prefix(300)) + "..." : text
    }
}
