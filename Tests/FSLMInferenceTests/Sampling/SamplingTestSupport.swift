import Foundation
import Testing

/// The logits ln 1, ln 2, ln 3, ln 4: probabilities 0.1, 0.2, 0.3, 0.4 (1 + 2 + 3 + 4 = 10).
let oneToFour: [Float] = [1, 2, 3, 4].map { Float(log(Double($0))) }

/// Expects `actual` to equal `expected` within `tolerance`, masked (-inf) exactly where expected.
func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        if e == -.infinity {
            #expect(a == -.infinity, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
        } else {
            #expect(abs(a - e) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
        }
    }
}

/// Expects `actual` to equal `expected` within `tolerance`.
func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        #expect(abs(a - e) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
    }
}

/// The ids whose logit is not masked.
func unmasked(_ logits: [Float]) -> [Int] {
    logits.indices.filter { logits[$0] > -.infinity }
}
