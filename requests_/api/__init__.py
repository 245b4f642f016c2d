"""The app's API: one class per action, nested Input serializers."""
