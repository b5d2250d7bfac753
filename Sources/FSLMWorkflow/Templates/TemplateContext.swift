/// Prepares a render context: numbers given as `Double` or `Float` become text so that
/// integral values print without a fraction (`3.0` renders as `3`, `2.5` as `2.5`).
enum TemplateContext {
    /// Integral doubles up to this magnitude are exact integers and print as such.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0  // 2^53

    /// `value` with every `Double` and `Float` inside dictionaries and arrays replaced by its text.
    static func prepare(_ value: Any) -> Any {
        switch value {
        case let dictionary as [String: Any]: dictionary.mapValues(prepare)
        case let array as [Any]: array.map(prepare)
        case let number as Double: format(number)
        case let number as Float: format(Double(number))
        default: value
        }
    }

    /// `3` for 3.0, `2.5` for 2.5, Swift's shortest form (`1e+20`, `nan`) otherwise.
    static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) <= exactIntegerLimit { return String(Int64(number)) }
        return String(number)
    }
}
