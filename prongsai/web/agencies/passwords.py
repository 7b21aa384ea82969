"""Django's password validators with Thai messages (English through the catalogue): the same
rules, worded for the site's users. Configured in settings.AUTH_PASSWORD_VALIDATORS."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self):
        return _("รหัสผ่านสั้นเกินไป ต้องยาวอย่างน้อย %(min_length)s ตัวอักษร") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("รหัสผ่านต้องยาวอย่างน้อย %(min_length)s ตัวอักษร") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("รหัสผ่านคล้ายกับข้อมูลของท่าน (%(verbose_name)s) มากเกินไป")

    def get_help_text(self):
        return _("รหัสผ่านต้องไม่คล้ายกับชื่อผู้ใช้ ชื่อ หรืออีเมลของท่าน")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self):
        return _("รหัสผ่านนี้ใช้กันทั่วไปและเดาได้ง่าย")

    def get_help_text(self):
        return _("รหัสผ่านต้องไม่ใช่รหัสผ่านที่ใช้กันทั่วไป")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self):
        return _("รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด")

    def get_help_text(self):
        return _("รหัสผ่านต้องมีตัวอักษรอื่นนอกจากตัวเลข")
