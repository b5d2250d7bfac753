public import FSLMWorkflow
