from django.apps import AppConfig


class SampleCaseTypeConfig(AppConfig):
    """A case type that exists only in the tests: it proves the shared steps serve a type they were not
    written for. Installed by tolerance/settings_test.py alone; its pages are mounted by ./urls.py."""

    name = "tests.sample_case_type"
    label = "sample_case_type"
    verbose_name = "Sample case type (tests only)"

    def ready(self):
        from tests.sample_case_type import case_type

        case_type.register()
