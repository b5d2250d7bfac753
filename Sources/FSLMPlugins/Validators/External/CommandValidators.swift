import Foundation
import Synchronization

/// Makes `Validator`s from the external validators plugins declare.
///
/// `once` specs give an `ExternalCommandValidator` (a process per call).
public enum CommandValidators {
    /// The most a validator may print on stdout: its whole answer in `once` mode, one line
    /// in `serve` mode.
    public static let stdoutLimit = 1 << 20

    public static func make(_ spec: CommandValidatorSpec) -> any Validator {
        switch spec.mode {
        case .once: return ExternalCommandValidator(spec)
        case .serve: return ExternalCommandValidator(spec)  // serve mode comes next
        }
    }
}
