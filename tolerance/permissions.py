from django.contrib.contenttypes.models import ContentType


def get_content_type(obj):
    """Guardian hook: key object permissions by the proxy model's own content type.

    Viewflow gives every flow a proxy Process model; with the concrete content type all flows would
    share one set of object permissions.
    """
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)
