import FSLMWorkflow
import Testing

@Suite struct EnvironmentExpansionTests {
    let env = ["FSLM_OPENAI_URL": "http://127.0.0.1:8080/v1", "MODEL_DIR": "/models"]

    @Test func expandsEveryReference() throws {
        #expect(try EnvironmentExpansion.expand("${env.FSLM_OPENAI_URL}", environment: env) == "http://127.0.0.1:8080/v1")
        #expect(try EnvironmentExpansion.expand("${env.MODEL_DIR}/tiny and ${env.MODEL_DIR}", environment: env) == "/models/tiny and /models")
        #expect(try EnvironmentExpansion.expand("no references", environment: env) == "no references")
    }

    @Test func leavesWhatIsNotAReferenceAlone() throws {
        #expect(try EnvironmentExpansion.expand("${env.not a name} ${env.1X} ${env.open", environment: env) == "${env.not a name} ${env.1X} ${env.open")
        #expect(try EnvironmentExpansion.expand("$env.X {env.X}", environment: env) == "$env.X {env.X}")
    }

    @Test func unsetVariablesAreAnError() {
        #expect(throws: EnvironmentExpansion.UnsetVariable(name: "NOPE")) {
            try EnvironmentExpansion.expand("${env.NOPE}", environment: env)
        }
        #expect(EnvironmentExpansion.UnsetVariable(name: "NOPE").description == "environment variable 'NOPE' is not set (used as ${env.NOPE})")
    }

    @Test func listsTheVariables() {
        #expect(EnvironmentExpansion.variables(in: "${env.A}/x/${env.B_2}/${env.bad name}") == ["A", "B_2"])
    }
}
