"""The API of the WhatsApp inbox: conversations (search, unread, assigned to me), their messages,
replies inside the 24-hour window, approved templates outside it, and internal notes.
STAFF and up answer (Perm.ANSWER_MESSAGES); connecting the number stays on the web settings page."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.permissions import Perm
from api.views import ApiListView, ApiView
from messaging.models import Conversation, Message, MessageTemplate
from messaging.selectors import conversation_get, conversation_list, conversation_messages, window_open
from messaging.services import note_add, reply_send, template_send


class ConversationOutput(serializers.ModelSerializer):
    customer_id = serializers.IntegerField(read_only=True)
    customer_name = serializers.CharField(source="customer.full_name", read_only=True)
    assigned_to_id = serializers.IntegerField(read_only=True, allow_null=True)
    window_open = serializers.SerializerMethodField()
    assistant_active = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "customer_id",
            "customer_name",
            "wa_id",
            "assigned_to_id",
            "language",
            "unread_count",
            "last_message_at",
            "last_inbound_at",
            "window_open",
            "assistant_active",
        ]

    def get_window_open(self, conversation) -> bool:
        return window_open(conversation)

    def get_assistant_active(self, conversation) -> bool:
        return conversation.handed_over_at is None


class MessageOutput(serializers.ModelSerializer):
    author_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "kind",
            "body",
            "status",
            "error",
            "author_id",
            "from_assistant",
            "sent_at",
        ]


class MessageInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["text", "template", "note"], default="text")
    body = serializers.CharField(max_length=4096, required=False, allow_blank=True, default="")
    template_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    params = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list)


class ConversationListApi(ApiListView):
    required_perms = {"GET": Perm.ANSWER_MESSAGES}
    serializer_class = ConversationOutput
    filterset_class = None
    ordering_fields = ["last_message_at", "id"]
    ordering = ["-last_message_at", "-id"]

    @extend_schema(
        parameters=[
            OpenApiParameter("search", str),
            OpenApiParameter("unread", bool),
            OpenApiParameter("mine", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return conversation_list(
            user=self.request.user,
            search=params.get("search", "")[:100],
            unread=params.get("unread") in ("1", "true"),
            mine=params.get("mine") in ("1", "true"),
        )


class ConversationDetailApi(ApiView):
    required_perms = {"GET": Perm.ANSWER_MESSAGES}

    @extend_schema(responses=ConversationOutput)
    def get(self, request, conversation_id: int):
        return Response(
            ConversationOutput(conversation_get(conversation_id=conversation_id, user=request.user)).data
        )


class ConversationMessageListCreateApi(ApiListView):
    required_perms = {"GET": Perm.ANSWER_MESSAGES, "POST": Perm.ANSWER_MESSAGES}
    serializer_class = MessageOutput
    filterset_class = None
    ordering_fields = ["sent_at", "id"]
    ordering = ["sent_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        conversation = conversation_get(
            conversation_id=self.kwargs["conversation_id"], user=self.request.user
        )
        return conversation_messages(conversation=conversation)

    @extend_schema(request=MessageInput, responses={201: MessageOutput})
    def post(self, request, conversation_id: int):
        conversation = conversation_get(conversation_id=conversation_id, user=request.user)
        data = self.input(MessageInput)
        if data["kind"] == "note":
            message = note_add(conversation=conversation, body=data["body"], user=request.user)
        elif data["kind"] == "template":
            template = MessageTemplate.objects.filter(
                pk=data.get("template_id") or 0, is_approved=True
            ).first()
            if template is None:
                raise serializers.ValidationError({"template_id": [_("Choose an approved template.")]})
            message = template_send(
                conversation=conversation,
                template=template,
                params=data["params"],
                user=request.user,
                request=request,
            )
        else:
            message = reply_send(
                conversation=conversation, body=data["body"], user=request.user, request=request
            )
        return Response(MessageOutput(message).data, status=status.HTTP_201_CREATED)
