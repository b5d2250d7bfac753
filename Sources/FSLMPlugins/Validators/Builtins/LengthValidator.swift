/// `{length: {min: M, max: N}}`: the reply must have at least `min` and at most `max`
/// characters (either bound may be left out).
///
/// Characters are what a reader counts (Swift `Character`s, extended grapheme clusters):
/// "é" is one character whether written precomposed or as "e" plus a combining accent,
/// and "👍🏽" or a family emoji is one character, however many Unicode scalars or bytes
/// it takes. Token counts are not characters; use `max_tokens` for those.
///
/// Failure: `the reply has 212 characters; at most 200 are allowed` or
/// `the reply has 3 characters; at least 10 are required`. No fix is offered: cutting
/// or padding a reply would change what it says.
public struct LengthValidator: Validator {
    public var id: String { "length" }
    public let min: Int?
    public let max: Int?

    /// Throws unless at least one bound is given, both are non-negative, and `min <= max`.
    public init(min: Int? = nil, max: Int? = nil) throws(ValidatorError) {
        func problem(_ message: String) -> ValidatorError { ValidatorError(validator: "length", message: message) }
        if min == nil && max == nil { throw problem("'length' needs 'min', 'max' or both, e.g. {length: {max: 200}}") }
        if let min, min < 0 { throw problem("'length' has a negative min \(min)") }
        if let max, max < 0 { throw problem("'length' has a negative max \(max)") }
        if let min, let max, min > max { throw problem("'length' has min \(min) greater than max \(max)") }
        self.min = min
        self.max = max
    }

    public func validate(_ output: String, in context: ValidationContext) -> Verdict {
        let count = output.count
        if let min, count < min {
            return .fail(message: "the reply has \(Self.characters(count)); at least \(min) \(min == 1 ? "is" : "are") required", fix: nil)
        }
        if let max, count > max {
            return .fail(message: "the reply has \(Self.characters(count)); at most \(max) \(max == 1 ? "is" : "are") allowed", fix: nil)
        }
        return .pass
    }

    private static func characters(_ n: Int) -> String { n == 1 ? "1 character" : "\(n) characters" }
}
