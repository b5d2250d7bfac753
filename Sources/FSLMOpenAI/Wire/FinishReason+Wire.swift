public import FSLMInference

extension GenerationResult.FinishReason {
    /// The `finish_reason` OpenAI's API uses: `length`, else `stop` (a stop string or the end of text).
    public var wireName: String { self == .length ? "length" : "stop" }

    /// The reason a server's `finish_reason` and `stop_reason` tell: `length`; `stop` with a stop
    /// string named; else the end of the text.
    public init(wireName: String?, stopReason: String?) {
        if wireName == "length" {
            self = .length
        } else {
            self = stopReason == nil ? .endOfText : .stop
        }
    }
}
