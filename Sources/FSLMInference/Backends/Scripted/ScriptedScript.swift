/// What a `ScriptedModel` answers: rules tried in order, each with its own list of replies.
///
/// This is the library's form of a workflow's `backend: scripted` model; the engine maps the
/// decoded YAML onto it. It is plain data: patterns are compiled, and checked, when a
/// `ScriptedModel` is created from it.
public struct ScriptedScript: Sendable, Hashable {
    /// Tried in order for every call; the first rule whose conditions all hold answers it.
    public var rules: [Rule]
    /// Simulated latency, slept before every call that matched a rule; nil is none.
    public var delay: Duration?

    public init(rules: [Rule], delay: Duration? = nil) {
        self.rules = rules
        self.delay = delay
    }

    /// One rule: conditions on a call, and the replies it gives, one per matching call.
    public struct Rule: Sendable, Hashable {
        /// A regular expression (`NSRegularExpression` syntax) searched anywhere in the prompt;
        /// nil matches every prompt.
        public var promptPattern: String?
        /// The adapter the call must name, exactly; nil matches any call, with or without one.
        public var adapter: String?
        /// The n-th call this rule answers gets `replies[n]`; past the end the last one repeats.
        /// Must not be empty.
        public var replies: [Reply]

        public init(promptPattern: String? = nil, adapter: String? = nil, replies: [Reply]) {
            self.promptPattern = promptPattern
            self.adapter = adapter
            self.replies = replies
        }
    }

    /// One scripted answer.
    public enum Reply: Sendable, Hashable, ExpressibleByStringLiteral {
        /// The text the model "generates" (before stop strings, max tokens and constraints).
        case text(String)
        /// The call throws `InferenceError(.backend, message)`.
        case error(String)
        /// The call stalls for this long on the model's clock, then answers an empty text
        /// (see `ScriptedModel`).
        case sleep(Duration)

        public init(stringLiteral value: String) {
            self = .text(value)
        }
    }
}
