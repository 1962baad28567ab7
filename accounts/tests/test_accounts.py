import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.backends import UserBackend
from accounts.models import Role, Session, User


def url(name, lang="en"):
    with translation.override(lang):
        return reverse(name)


@pytest.mark.django_db
class TestLogin:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_login_page_in_both_languages(self, client, lang):
        html = client.get(url("accounts:login", lang)).content.decode()
        assert f'lang="{lang}"' in html and 'name="username"' in html

    def test_login_lands_in_the_users_language(self, client, users):
        users["focal"].language = "ar"
        users["focal"].save()
        response = client.post(url("accounts:login"), {"username": "t-focal-kwt", "password": "pw-Secret-123"})
        assert response.status_code == 302 and response["Location"].startswith("/ar/")

    def test_wrong_password_shows_an_error_and_logs_nobody_in(self, client, users):
        response = client.post(url("accounts:login"), {"username": "t-admin", "password": "x"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
        assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()

    def test_logout(self, as_user, users):
        client = as_user(users["admin"])
        client.post(url("accounts:logout"))
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
class TestPasswords:
    def test_change_password(self, as_user, users):
        client = as_user(users["director"])
        response = client.post(
            url("accounts:password_change"),
            {"old_password": "pw-Secret-123", "new_password1": "a-New-pass-42", "new_password2": "a-New-pass-42"},
        )
        assert response.status_code == 302
        users["director"].refresh_from_db()
        assert users["director"].check_password("a-New-pass-42")

    def test_reset_password_by_email(self, client, users):
        client.post(url("accounts:password_reset"), {"email": "t-admin@example.org"})
        assert len(mail.outbox) == 1
        link = re.search(r"https?://[^\s]+/password/reset/[^\s]+/", mail.outbox[0].body).group(0)
        path = link.split("testserver", 1)[1]
        response = client.get(path, follow=True)
        assert response.context["validlink"]
        client.post(
            response.redirect_chain[-1][0], {"new_password1": "Fresh-pass-77", "new_password2": "Fresh-pass-77"}
        )
        users["admin"].refresh_from_db()
        assert users["admin"].check_password("Fresh-pass-77")


@pytest.mark.django_db
class TestProfile:
    def test_choose_the_interface_language(self, as_user, users):
        client = as_user(users["observer"])
        response = client.post(
            url("accounts:profile"),
            {"first_name": "Jan", "last_name": "V", "email": "jan@example.org", "language": "ar"},
        )
        assert response["Location"].startswith("/ar/")
        users["observer"].refresh_from_db()
        assert users["observer"].language == "ar"

    def test_focal_point_needs_a_nation(self):
        user = User(username="x", role=Role.FOCAL_POINT)
        with pytest.raises(Exception, match="nation"):
            user.full_clean()


@pytest.mark.django_db
class TestNavigation:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_navigation_shows_each_role_what_it_can_do(self, as_user, users, lang):
        catalogue = url("training:catalogue", lang)
        manage = url("training:offering_manage", lang)
        admin_link = url("admin:index", lang)
        staff = as_user(users["admin"]).get(catalogue).content.decode()
        director = as_user(users["director"]).get(catalogue).content.decode()
        focal = as_user(users["focal"]).get(catalogue).content.decode()
        assert manage in staff and admin_link in staff
        assert manage in director and admin_link not in director
        assert manage not in focal and admin_link not in focal

    def test_menu_follows_the_section_the_language_and_superusers(self, as_user, users):
        """The menu is rendered once per role, language and section, then reused."""
        admin = as_user(users["admin"])
        for path, active in (("/en/people/", "people:list"), ("/en/catalogue/", "training:catalogue")):
            html = admin.get(path).content.decode()
            assert f'class="nav-link active" href="{url(active, "en")}"' in html
        arabic = admin.get("/ar/people/").content.decode()
        assert "دليل الدورات" in arabic and ">Catalogue<" not in arabic
        boss = users["director_other"]
        boss.is_superuser = True
        boss.save()
        assert url("admin:index", "en") in as_user(boss).get("/en/catalogue/").content.decode()
        participant = as_user(users["participant"]).get("/en/catalogue/").content.decode()
        assert "My page" in participant and url("training:offering_manage", "en") not in participant

    def test_language_switch_keeps_the_page_and_query(self, client, db):
        html = client.get("/en/catalogue/?q=cyber").content.decode()
        assert 'href="/ar/catalogue/?q=cyber"' in html

    def test_admin_in_arabic(self, as_user, users):
        users["admin"].is_staff = True
        users["admin"].is_superuser = True
        users["admin"].save()
        html = as_user(users["admin"]).get("/ar/admin/").content.decode()
        assert 'dir="rtl"' in html


@pytest.mark.django_db
class TestPlainReads:
    """The signed-in user and the API client's token are read in plain SQL: what comes back must be
    what the ORM reads, nation included, and a wrong or inactive account must not get in."""

    @pytest.mark.parametrize("role", ["focal", "admin"])
    def test_the_session_user_is_the_orm_user_with_their_nation(self, users, role, django_assert_num_queries):
        expected = User.objects.select_related("nation").get(pk=users[role].pk)
        with django_assert_num_queries(1):
            user = UserBackend().get_user(str(expected.pk))
            assert (user.nation.code if user.nation else None) == (expected.nation.code if expected.nation else None)
        for field in User._meta.concrete_fields:
            assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
            assert type(getattr(user, field.attname)) is type(getattr(expected, field.attname)), field.name

    def test_no_user_for_a_wrong_id_or_an_inactive_account(self, users):
        assert UserBackend().get_user("999999") is None and UserBackend().get_user("x1") is None
        User.objects.filter(pk=users["focal"].pk).update(is_active=False)
        assert UserBackend().get_user(users["focal"].pk) is None

    def test_an_api_token_signs_in_its_user_and_only_while_active(self, users):
        token = Token.objects.create(user=users["focal"])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert client.get("/api/v1/nominations/").status_code == 200
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key[:-1]}x")
        assert client.get("/api/v1/nominations/").status_code == 401
        User.objects.filter(pk=users["focal"].pk).update(is_active=False)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert client.get("/api/v1/nominations/").status_code == 401


@pytest.mark.django_db
class TestSessions:
    """A request reads its session with the user it signs in (accounts.sessions): one query, and the
    user the ORM would read, for each session, however requests follow each other."""

    def test_a_signed_in_page_reads_its_session_and_user_in_one_query(self, as_user, users, django_assert_num_queries):
        client = as_user(users["focal"])
        with django_assert_num_queries(1):
            html = client.get(url("core:about")).content.decode()
        assert users["focal"].username in html

    def test_each_session_signs_in_its_own_user(self, as_user, users):
        clients = {role: as_user(users[role]) for role in ("focal", "focal_other", "admin")}
        for _ in range(2):
            for role, client in clients.items():
                response = client.get(url("core:about"))
                assert response.wsgi_request.user.pk == users[role].pk
                assert response.wsgi_request.user.nation_id == users[role].nation_id

    def test_a_session_ends_with_its_user_and_their_access(self, as_user, users):
        client = as_user(users["focal"])
        User.objects.filter(pk=users["focal"].pk).update(is_active=False)
        assert not client.get(url("core:about")).wsgi_request.user.is_authenticated
        assert Session.objects.filter(user=users["focal"]).exists()
        User.objects.filter(pk=users["focal"].pk).delete()
        assert not Session.objects.filter(user_id=users["focal"].pk).exists()

    def test_a_password_change_elsewhere_signs_the_session_out(self, as_user, users):
        client = as_user(users["focal"])
        users["focal"].set_password("another-Secret-456")
        users["focal"].save()
        assert not client.get(url("core:about")).wsgi_request.user.is_authenticated

    def test_the_upgrade_keeps_everyone_signed_in(self, users):
        from importlib import import_module

        from django.apps import apps
        from django.contrib.auth import SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore as OldStore
        from django.db import connection

        migration = import_module("accounts.migrations.0002_session")
        old = OldStore()
        old[SESSION_KEY] = str(users["director"].pk)
        old.create()
        migration.keep_signed_in(apps, type("Editor", (), {"connection": connection})())
        assert Session.objects.get(session_key=old.session_key).user == users["director"]
