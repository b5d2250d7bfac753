/// Workflows for the `fslm serve` tests: one on a scripted model, and the same stages on a
/// `backend: openai` model that a test points at a server with `$FSLM_TEST_URL`.
enum ServeFixtures {
    static let stages = """
        defaults:
          model: fake
          generation: { max_tokens: 32, temperature: 0, stop: ["\\n"] }
        stages:
          route:
            adapter: route
            prompt: "Ticket: {{inputs.ticket}}\\nTeam:"
            output: { choices: [billing, other] }
          answer:
            needs: [route]
            adapter: answer
            prompt: "Team {{stages.route.output}} answers: {{inputs.ticket}}"
        """

    /// `triage` on a scripted model; `delay` slows every call (for tests that need a request in progress).
    static func local(delay: String? = nil) -> String {
        """
        version: 1
        name: triage
        inputs:
          ticket: { type: string }
        models:
          fake:
            backend: scripted
            adapters: [route, answer]
        \(delay.map { "    delay: \($0)\n" } ?? "")    rules:
              - { adapter: route, prompt_matches: refund, replies: [billing] }
              - { adapter: route, replies: [other] }
              - { adapter: answer, replies: ["We will look into it within 5 days.\\nThanks"] }
        \(stages)
        """
    }

    /// The same stages on the served model; `api` is `completions` or `chat`.
    static func remote(api: String = "completions", keyEnv: String? = nil) -> String {
        """
        version: 1
        name: triage-remote
        inputs:
          ticket: { type: string }
        models:
          fake:
            backend: openai
            base_url: ${env.FSLM_TEST_URL}
            model: fake
            api: \(api)
            adapters: { route: fake-route, answer: fake-answer }
        \(keyEnv.map { "    api_key_env: \($0)\n" } ?? "")
        \(stages)
        """
    }

    /// `fslm serve` arguments serving the scripted model of `local.yaml` and its two adapters.
    static let serveArguments = ["--model", "fake=local.yaml", "--adapter", "fake-route=fake:route", "--adapter", "fake-answer=fake:answer"]
}
