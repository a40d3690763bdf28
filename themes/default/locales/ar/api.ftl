# The APIs' problem texts in Arabic: the `detail` of an application/problem+json answer,
# read by the developers of an integration. Field names, header names and JSON values
# (Idempotency-Key, version, draft…) stay as they are: clients send them so.
# A problem about one field is written after the field's name ("author_id: …").

## The Admin API key (the Authorization header)
api-key-required = أرسل مفتاح التكامل في الترويسة Authorization: Bearer …
api-key-invalid = مفتاح التكامل غير صحيح.
api-key-revoked = أُلغي مفتاح التكامل هذا.

## What the key's role may not do
api-forbidden-edit = لا يسمح دور هذا المفتاح بتعديل هذا المقال.
api-forbidden-publish = لا يسمح دور هذا المفتاح بنشر هذا المقال أو جدولته أو سحبه.
api-forbidden-state = لا يسمح دور هذا المفتاح بوضع المقال في هذه الحالة.
api-forbidden-action = إجراء غير معروف.
api-forbidden-author = لا يسمح دور هذا المفتاح باختيار كاتب آخر.
api-forbidden-breaking = إدارة الأخبار العاجلة للمحررين.

## The request
# $error: the JSON reader's explanation, in English.
api-bad-json = جسم الطلب ليس JSON صالحاً لهذا الطلب: { $error }
api-idempotency-key-too-long = Idempotency-Key أطول من ٢٠٠ حرف.
api-idempotency-key-reused = استُعمل Idempotency-Key هذا لطلب آخر.
api-request-in-progress = الطلب الأول بهذا Idempotency-Key ما زال قيد التنفيذ؛ أعد المحاولة بعد قليل.

## Articles
# $status: the status as sent.
api-status-unknown = الحالة «{ $status }» غير معروفة: draft أو pending أو published أو scheduled أو unpublished.
api-version-on-create = version لا يُرسل عند الإنشاء.
# $version: the article's current version number, as written in the JSON.
api-stale-version = تغيّر المقال منذ قرأته (النسخة الحالية { $version }): اقرأه مجدداً ثم أعد الطلب.
# After "author_id: ".
api-author-unknown = لا يوجد كاتب بهذا الرقم.
# After "featured: ".
api-featured-alt-missing = أضف نصاً بديلاً للصورة البارزة قبل النشر.

## Images
api-image-body-empty = جسم الطلب فارغ: أرسل ملف الصورة.

## Breaking news (after "starts_at: " and "expires_at: ")
api-breaking-start-unreadable = وقت بدء غير مفهوم (RFC 3339).
api-breaking-end-unreadable = وقت انتهاء غير مفهوم (RFC 3339).

## The view beacon (POST /views)
api-view-body = يُرسل رقم المقال وحده في متن الطلب.
