import Foundation

/// JSON bodies of answers, as servers write them.
enum Completions {
    /// A whole `/v1/completions` answer.
    static func whole(_ text: String, finish: String = "stop", promptTokens: Int = 3, completionTokens: Int = 2) -> String {
        #"{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":\#(json(text)),"finish_reason":"\#(finish)"}],"usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"total_tokens":\#(promptTokens + completionTokens)}}"#
    }

    /// One streamed `/v1/completions` chunk.
    static func chunk(_ text: String, finish: String? = nil) -> String {
        #"{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":\#(json(text)),"finish_reason":\#(finish.map { "\"\($0)\"" } ?? "null")}]}"#
    }

    /// An OpenAI error body.
    static func error(_ message: String) -> String {
        #"{"error":{"message":\#(json(message)),"type":"invalid_request_error"}}"#
    }

    static func json(_ text: String) -> String { String(decoding: try! JSONEncoder().encode(text), as: UTF8.self) }
}
