import FSLMPlugins
import Testing

@Suite struct VerdictTests {
    @Test func onlyPassPasses() {
        #expect(Verdict.pass.passed)
        #expect(!Verdict.fail(message: "no", fix: nil).passed)
    }

    @Test func validatorErrorsNameTheValidator() {
        let e = ValidatorError(validator: "arith.equation_holds", message: "exited with status 2")
        #expect(e.description == "validator 'arith.equation_holds' could not judge the output: exited with status 2")
    }
}
