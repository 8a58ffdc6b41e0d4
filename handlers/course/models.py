"""The course's tables; they live in storage/models_course.py, where the migrations find them."""

from storage.models_course import CourseAnswer, CourseProgress, CourseReminder

__all__ = ["CourseAnswer", "CourseProgress", "CourseReminder"]
