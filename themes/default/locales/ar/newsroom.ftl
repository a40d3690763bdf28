# The newsroom's interface in Arabic: the reference every other language translates.
# Messages are plain text (templates escape them); where a sentence holds a link or a
# name in <bdi>, it is cut into the pieces around that markup.
# Numbers given to a message (count, max, version…) are written in the site's digits.

## Shared: the same words on several pages
nr-newsroom = غرفة الأخبار
nr-articles = المقالات
nr-article = المقال
nr-new-article = مقال جديد
nr-comments = التعليقات
nr-categories = الأقسام
nr-category = القسم
nr-tags = الوسوم
nr-users = المستخدمون
nr-integrations = التكاملات
nr-webhooks = الخطافات
nr-audit = سجل التغييرات
nr-password = كلمة المرور
nr-password-confirm-short = تأكيدها
nr-name = الاسم
nr-slug = الاسم اللطيف
nr-email = البريد الإلكتروني
nr-commenter-email = بريد المعلِّق
nr-title = العنوان
nr-body = النص
nr-text = النص
nr-caption = التعليق
nr-credit = المصدر
nr-description = الوصف
nr-status = الحالة
nr-author = الكاتب
nr-role = الدور
nr-key = المفتاح
nr-time = الوقت
nr-action = إجراء
nr-actions = إجراءات
nr-all = الكل
nr-active = فعّال
nr-filter = تصفية
nr-search = ابحث
nr-save = حفظ
nr-add = إضافة
nr-create = إنشاء
nr-change = تغيير
nr-delete = حذف
nr-disable = إيقاف
nr-apply = تطبيق
nr-select = تحديد
nr-view = عرض
nr-view-on-site = عرض في الموقع
nr-prev = السابق
nr-next = التالي
nr-revisions = المراجعات
nr-erase-title = مسح بيانات معلِّق
# Between the items of a list written in a sentence (webhook events).
nr-list-separator = ،{ " " }

## base.html: the header of every newsroom page
nr-nav-media = الصور
nr-nav-breaking = عاجل
nr-nav-site = الموقع
nr-logout = خروج
# The accessible name of the navigation's pending-comments counter.
nr-pending-count = { $count } بانتظار المراجعة

## login.html
nr-login-title = الدخول
nr-login-heading = الدخول إلى غرفة الأخبار
nr-login-submit = دخول

## setup.html
nr-setup-title = إعداد الموقع
nr-setup-heading = حساب المدير الأول
# Followed by a link (nr-setup-done-login) and a full stop.
nr-setup-done = أُنشئ حساب المدير. يمكنك الآن
nr-setup-done-login = الدخول
nr-setup-intro = هذا الرابط يُستخدم مرة واحدة لإنشاء أول حساب مدير للموقع.
nr-password-hint = عشرة أحرف على الأقل.
nr-password-confirm = تأكيد كلمة المرور
nr-setup-submit = إنشاء الحساب

## password.html
nr-password-change = تغيير كلمة المرور
nr-password-done = تغيّرت كلمة المرور، وانتهت جلساتك الأخرى.
nr-password-errors = لم تتغير كلمة المرور: صحّح الحقول المشار إليها.
nr-password-current = كلمة المرور الحالية
nr-password-new = كلمة المرور الجديدة

## message.html
nr-back-to-newsroom = العودة إلى غرفة الأخبار

## articles.html
nr-date = التاريخ
nr-articles-views = القراءات
nr-articles-views-hint = قراءات آخر ٧ أيام
nr-articles-views-7d = القراءات (٧ أيام)
nr-articles-empty = لا توجد مقالات تطابق هذه التصفية.

## editor.html
# The page title when editing; $title is the article's headline.
nr-editor-title-edit = تحرير: { $title }
nr-editor-edit-article = تحرير مقال
nr-editor-discard-restored = تجاهل النص المستعاد
nr-editor-preview-saved = معاينة النسخة المحفوظة
nr-editor-slug = الاسم اللطيف في الرابط
nr-editor-slug-hint = يُشتق من العنوان إن تُرك فارغاً. الرابط القديم يبقى يحوّل إلى الجديد.
nr-editor-excerpt = الملخص
nr-editor-excerpt-hint = يُؤخذ من بداية النص إن تُرك فارغاً.
nr-editor-primary-category = القسم الرئيسي
nr-editor-other-categories = أقسام أخرى
nr-editor-tags-hint = افصل بينها بفاصلة؛ الوسوم الجديدة تُنشأ تلقائياً.
nr-editor-publish-at = موعد النشر (بتوقيت الموقع)
nr-editor-publish-at-hint = للجدولة: حدّد موعداً في المستقبل ثم اضغط «جدولة».
nr-editor-preview = معاينة
nr-editor-submit = أرسل للمراجعة
nr-editor-publish = انشر الآن
nr-editor-schedule = جدولة
nr-editor-unpublish-confirm = إلغاء نشر هذا المقال؟
nr-editor-unpublish = إلغاء النشر
nr-editor-featured = الصورة البارزة
nr-editor-featured-processing = تُجهَّز الصورة…
nr-editor-featured-edit-alt = تحرير النص البديل والتعليق
nr-editor-featured-add-alt = أضف نصاً بديلاً (مطلوب قبل النشر)
nr-editor-featured-remove = أزل الصورة البارزة
nr-editor-featured-pick = اختر من مكتبة الصور
nr-editor-featured-save-first = احفظ المقال أولاً، ثم اختر صورته البارزة من المكتبة.
nr-editor-comments = تعليقات القرّاء
nr-editor-comments-open = التعليقات مفتوحة على هذا المقال.
nr-editor-comments-closed = التعليقات مغلقة على هذا المقال.
nr-editor-comments-queue = تعليقات هذا المقال
nr-editor-comments-close = أغلق التعليقات
nr-editor-comments-reopen = افتح التعليقات

## editor.html: the rich-text editor's strings (static/newsroom/editor.js reads them as JSON)
nr-editor-saving = جارٍ الحفظ التلقائي…
# $time is the time of day of the save (the script fills it in).
nr-editor-saved = حُفظت المسودة تلقائياً في { $time }
nr-editor-save-failed = تعذّر الحفظ التلقائي
nr-editor-save-conflict = تعذّر الحفظ التلقائي: عدّل شخص آخر هذه المقالة؛ انسخ تعديلاتك وأعد تحميل الصفحة
nr-editor-save-session = تعذّر الحفظ التلقائي: ربما انتهت الجلسة؛ سجّل الدخول في نافذة أخرى
nr-editor-link-prompt = عنوان الرابط (https://… أو mailto:…). اتركه فارغاً لإزالة الرابط:
nr-editor-link-invalid = رابط غير صالح: يُقبل فقط ما يبدأ بـ http:// أو https:// أو mailto:
nr-editor-image-prompt = رابط الصورة (يبدأ بـ https://):
nr-editor-image-invalid = رابط صورة غير صالح: يُقبل فقط ما يبدأ بـ https://
nr-editor-alt-prompt = نص بديل يصف الصورة لمن لا يراها:
nr-editor-no-files = لا يمكن لصق الملفات هنا؛ استخدم زر «صورة بالرابط».
nr-editor-toolbar = أدوات التنسيق
# Toolbar buttons: the text shown, and (-label) the accessible name where it differs.
nr-editor-tool-paragraph = فقرة
nr-editor-tool-heading = عنوان
nr-editor-tool-heading-label = عنوان فرعي
nr-editor-tool-bold = غامق
nr-editor-tool-italic = مائل
nr-editor-tool-link = رابط
nr-editor-tool-quote = اقتباس
nr-editor-tool-ul = • قائمة
nr-editor-tool-ul-label = قائمة نقطية
nr-editor-tool-ol = قائمة مرقمة
nr-editor-tool-ol-label = قائمة مرقمة
nr-editor-tool-image = صورة
nr-editor-tool-image-label = صورة بالرابط
nr-editor-tool-library = من المكتبة
nr-editor-tool-library-label = صورة من المكتبة
nr-editor-library-search = ابحث في المكتبة
nr-editor-library-search-placeholder = ابحث في المكتبة…
nr-editor-library-cancel = إلغاء
nr-editor-library-empty = لا صور جاهزة في المكتبة.
nr-editor-library-failed = تعذّر تحميل المكتبة.

## revisions.html
nr-revisions-title = مراجعات: { $title }
# The heading around the article's title: before it, then after it.
nr-revisions-heading-before = مراجعات «
nr-revisions-heading-after = »
nr-revisions-back = العودة إلى التحرير
nr-revisions-version = النسخة
nr-revisions-saved-by = حفظها
nr-revisions-compare = قارن
nr-revisions-empty = لا توجد مراجعات بعد: تُحفظ مراجعة عند كل تعديل لمقال منشور.

## revision.html
nr-revision-title = مقارنة مراجعة
nr-revision-heading = النسخة { $version } مقارنة بالحالية ({ $current })
nr-revision-stale = لم تُستعد النسخة: تغيّر المقال بعد أن فتحت هذه الصفحة. راجع المقارنة ثم حاول مجدداً.
# Followed by the time of the save and a full stop.
nr-revision-saved-by = حفظها { $name } في
# The legend: <del>removed</del> removed-note<ins>added</ins> added-note
nr-revision-removed = المحذوف
nr-revision-removed-note = كان في هذه النسخة، و
nr-revision-added = المضاف
nr-revision-added-note = في الحالية.
nr-revision-all = كل المراجعات
nr-revision-restore-confirm = استعادة هذه النسخة؟ تُحفظ الحالية مراجعةً.
nr-revision-restore = استعادة هذه النسخة

## media.html
nr-media-library = مكتبة الصور
# Around the article's title.
nr-media-pick-before = اختر الصورة البارزة لمقال «
nr-media-pick-after = »
nr-media-back-to-article = العودة إلى المقال
nr-media-upload = رفع صورة
nr-media-file = الصورة (JPEG أو PNG أو GIF أو WebP، حتى { $max } ميغابايت)
nr-media-dropzone = اسحب صورة إلى هنا أو الصقها
nr-media-alt-hint = النص البديل (يصف الصورة لمن لا يراها)
nr-media-credit-hint = المصدر (مثل «تصوير: …»)
nr-media-upload-submit = ارفع
nr-media-search = ابحث في العناوين والنصوص البديلة والمصادر
nr-media-failed = تعذّرت معالجتها
# $progress is "done/total" sizes.
nr-media-processing = تُجهَّز ({ $progress })
nr-media-no-alt = بلا نص بديل
nr-media-make-featured = اجعلها الصورة البارزة
nr-media-no-results = لا صور تطابق البحث.
nr-media-empty = لا صور في المكتبة بعد.
nr-media-pages = صفحات المكتبة
nr-media-prev = السابقة
nr-media-next = التالية

## media_item.html
nr-media-saved = حُفظت بيانات الصورة.
nr-media-item-failed = تعذّرت معالجة هذه الصورة؛ ارفعها من جديد بصيغة أخرى.
nr-media-item-processing = تُجهَّز مقاسات الصورة:
nr-media-pixels = بكسل
nr-media-alt-required = النص البديل (مطلوب قبل نشر مقال يستخدمها)
nr-alt = النص البديل
nr-media-used-in = تستخدمها
nr-media-unused = لا مقالات تستخدم هذه الصورة.
nr-media-files = الملفات
nr-media-replace = استبدال الملف
nr-media-replace-file = صورة جديدة لهذه الصورة (تبقى نصوصها، وتقود روابط ملفاتها القديمة إلى الجديدة)
nr-media-replace-submit = استبدل
nr-media-delete-confirm = حذف هذه الصورة نهائياً؟
nr-media-delete = احذف الصورة

## comments.html
nr-comments-tabs = حالات التعليقات
nr-comments-filter-article = المقال:
nr-comments-clear-article = إزالة تصفية المقال
nr-comments-filter-email = البريد:
nr-comments-clear-email = إزالة تصفية البريد
nr-comments-bulk = على المحدَّد
nr-comments-total = { $count } تعليق
nr-comments-comment = التعليق
# The accessible name of a row's checkbox; $name is the comment's author.
nr-comments-select-one = تحديد تعليق { $name }
nr-staff-reply = رد الموقع
# Followed by the name of the comment's parent author.
nr-in-reply-to = ردّاً على
nr-comments-view = عرض التعليق
nr-comments-delete-confirm = حذف هذا التعليق نهائياً؟
nr-comments-edit-reply = تحرير / رد
nr-comments-empty = لا توجد تعليقات هنا.

## comment.html
nr-comment = تعليق
nr-comment-back = العودة إلى التعليقات
nr-comment-view-on-site = عرضه في الموقع
# "On «article» at time, in reply to name": the pieces around the title, the time and the name.
nr-comment-on = على «
nr-comment-on-at = » في
nr-comment-in-reply-to = ، ردّاً على
nr-website = الموقع الإلكتروني
nr-comment-save = حفظ التعديل
nr-comment-reply-title = الرد باسم الموقع
nr-comment-reply-hint = يُنشر الرد فوراً ويظهر للقراء موسوماً «ردّ الموقع»؛ الرد على تعليق بانتظار المراجعة يوافق عليه.
nr-comment-reply-body = نص الرد
nr-comment-reply-submit = انشر الرد

## erase.html
nr-erase-intro = يعالج كل تعليق كُتب بهذا البريد: يحذفها، أو يبقيها باسم «مجهول» بلا بريد ولا موقع ولا عنوان شبكة. يُسجَّل المسح (من ومتى وكيف وكم تعليقاً) دون البريد نفسه.
nr-erase-mode = ماذا يحدث لتعليقاته؟
nr-erase-anonymize = تبقى باسم «مجهول»
nr-erase-remove = تُحذف (الردود عليها تبقى)
nr-erase-confirm = أفهم أن المسح لا يمكن التراجع عنه.
nr-erase-submit = امسح
nr-erase-log = سجل المسح
nr-erase-by = بواسطة
nr-erase-method = الطريقة

## categories.html
nr-categories-errors = لم يُحفظ التغيير: صحّح الحقول المشار إليها.
nr-categories-new = قسم جديد
nr-categories-parent = القسم الأب
nr-categories-top-level = (قسم رئيسي)
nr-categories-bar = شريط الأقسام
nr-categories-bar-intro = للشريط في أعلى الموقع ترتيب خاص به أتى من قائمة الموقع القديم عند الاستيراد:
nr-categories-bar-reset-confirm = إعادة الشريط إلى الأقسام الرئيسية بترتيبها؟
nr-categories-bar-reset = إعادة الشريط إلى الأقسام الرئيسية
nr-categories-tree = شجرة الأقسام
nr-categories-article-count = { $count } مقال
nr-categories-reassign = انقل مقالاته إلى
nr-categories-reassign-none = (القسم فارغ)
nr-categories-delete-confirm = حذف هذا القسم؟
nr-categories-delete = حذف القسم

## tags.html
nr-tag = الوسم
nr-tags-rename = إعادة التسمية
nr-tags-merge = الدمج
nr-tags-merge-confirm = دمج هذا الوسم في الوسم المختار؟
nr-tags-merge-into = ادمج في
nr-tags-merge-into-choose = ادمج في…
nr-tags-merge-submit = دمج

## breaking.html
nr-breaking-title = الأخبار العاجلة
nr-breaking-errors = لم يُحفظ: صحّح الحقول المشار إليها.
nr-breaking-new = خبر عاجل جديد
nr-breaking-article-optional = رقم المقال المرتبط (اختياري)
nr-breaking-article = رقم المقال
nr-breaking-starts = يبدأ
nr-breaking-expires = ينتهي
nr-breaking-position = الترتيب
nr-breaking-add = أضف إلى الشريط
nr-breaking-items = العناصر
nr-breaking-live = ظاهر الآن
nr-breaking-expired = منتهٍ
nr-breaking-not-started = لم يبدأ
nr-breaking-expire-now = أنهِه الآن
nr-breaking-delete-confirm = حذف هذا الخبر العاجل؟
nr-breaking-empty = لا توجد أخبار عاجلة.

## users.html
nr-users-email = البريد
nr-users-you = (أنت)
nr-users-disabled = موقوف
nr-users-no-password = بلا كلمة مرور
nr-users-active = نشط
nr-users-disable-confirm = إيقاف هذا الحساب وإنهاء جلساته؟
nr-users-enable = تفعيل
nr-users-new = مستخدم جديد
nr-users-errors = لم يُنشأ الحساب: صحّح الحقول المشار إليها.

## integrations.html
# Before and after the "(Admin API)" link; the last sentence ends with a link to the change log.
nr-integrations-intro = مفاتيح واجهة الإدارة البرمجية
nr-integrations-intro-keys = يعمل كل مفتاح باسمه وبالدور الذي تختاره، ويُسجَّل كل ما يغيّره في
# Around the new key's name.
nr-integrations-created-before = أُنشئ مفتاح «
nr-integrations-created-after = ». انسخه الآن: لن يظهر مرة أخرى، ولا نحتفظ إلا ببصمته.
nr-integrations-keys = المفاتيح
nr-integrations-created = أنشئ
nr-integrations-last-used = آخر استعمال
nr-integrations-never-used = لم يستعمل
nr-integrations-revoked-at = أُلغي في { $when }
nr-integrations-activity = تغييراته
nr-integrations-revoke-confirm = إلغاء هذا المفتاح؟ يتوقف عن العمل فوراً.
nr-integrations-revoke = إلغاء
nr-integrations-empty = لا مفاتيح بعد.
nr-integrations-new = مفتاح جديد
nr-integrations-role = يعمل بدور
nr-integrations-create = إنشاء المفتاح

## webhooks.html
nr-webhooks-heading = الخطافات (Webhooks)
# Before and after the signature header shown in code.
nr-webhooks-intro = يرسل الموقع طلب POST موقّعاً
nr-webhooks-intro-retries = إلى كل عنوان هنا عند وقوع الأحداث المختارة، ويعيد المحاولة عند الفشل طوال يوم ونصف بفواصل متزايدة.
# Followed by the webhook's address, a full stop and nr-webhooks-added-secret.
nr-webhooks-added = أُضيف الخطاف
nr-webhooks-added-secret = سرّ التوقيع (انسخه الآن؛ لن يظهر مرة أخرى):
nr-webhooks-secret = السر
nr-webhooks-url = العنوان
nr-webhooks-events = الأحداث
nr-webhooks-added-at = أضيف
nr-webhooks-disabled-since = متوقف منذ { $when }
nr-webhooks-log = سجل الإرسال
nr-webhooks-disable-confirm = إيقاف هذا الخطاف؟
nr-webhooks-empty = لا خطافات بعد.
nr-webhooks-new = خطاف جديد

## webhook.html
nr-webhook-title = سجل إرسال الخطاف
# Followed by the webhook's address.
nr-webhook-heading = سجل إرسال
nr-webhook-all = كل الخطافات
nr-webhook-id = الرقم
nr-webhook-event = الحدث
nr-webhook-attempts = المحاولات
nr-webhook-last-response = آخر رد
nr-webhook-last-error = آخر خطأ
nr-webhook-delivered = وصل
nr-webhook-given-up = توقفت المحاولة
nr-webhook-retrying = يعاد المحاولة
nr-webhook-waiting = ينتظر
nr-webhook-empty = لم يُرسل شيء بعد.

## audit.html
nr-audit-filter = تصفية السجل
nr-audit-person = الشخص
nr-audit-contains = يحتوي
nr-audit-from = من
nr-audit-to = إلى
nr-audit-total = { $count } تغييراً.
nr-audit-who = من
nr-audit-what = ماذا
nr-audit-subject = على
nr-audit-details = تفاصيل
nr-audit-result = النتيجة
# After the name of who made a change through an API key.
nr-audit-by-key = (مفتاح)
nr-audit-empty = لا تغييرات.
nr-pages = الصفحات
nr-newer = الأحدث
nr-older = الأقدم

## Newsroom messages from the server (validation, notices)
## Written by the Rust handlers (crates/nashir-web/src/newsroom/, webhooks.rs).

# Roles (menus, the header, the user and key lists).
nr-msg-role-contributor = مساهم
nr-msg-role-author = كاتب
nr-msg-role-editor = محرر
nr-msg-role-admin = مدير

# An article's state.
nr-msg-state-draft = مسودة
nr-msg-state-pending = بانتظار المراجعة
nr-msg-state-scheduled = مجدول
nr-msg-state-published = منشور
nr-msg-state-unpublished = غير منشور

# The article editor: a field's problem ($max: the longest allowed, in characters).
nr-msg-article-title-missing = اكتب عنواناً للمقال.
nr-msg-article-title-too-long = العنوان طويل: { $max } حرف على الأكثر.
nr-msg-article-slug-malformed = الاسم اللطيف يتكون من حروف وأرقام تفصل بينها شرطات (حتى ٨٠ حرفاً).
nr-msg-article-body-too-long = النص أطول من المسموح.
nr-msg-article-excerpt-too-long = الملخص طويل: { $max } حرف على الأكثر.
nr-msg-article-category-unknown = اختر قسماً موجوداً.
nr-msg-article-other-category-unknown = أحد الأقسام المختارة غير موجود.
nr-msg-article-author-unknown = اختر كاتباً موجوداً.
nr-msg-article-publish-at-unreadable = اكتب وقتاً صحيحاً للنشر.
nr-msg-article-publish-at-missing = حدّد موعد النشر المجدول.
nr-msg-article-publish-at-past = موعد النشر المجدول يجب أن يكون في المستقبل.
nr-msg-article-featured-alt-missing = أضف نصاً بديلاً للصورة البارزة قبل النشر (من صفحة الصورة في المكتبة).
# In the article list, for an article without a title.
nr-msg-article-untitled = (بلا عنوان)
# The editor's notices. $state: the article's state (nr-msg-state-…); $time: date and time.
nr-msg-article-saved = حُفظ المقال ({ $state }).
nr-msg-article-restored-new = استُعيد نص لم يُحفظ من جلسة سابقة.
nr-msg-article-restored = استُعيد نص لم يُحفظ كتبته في { $time }. احفظ المقال لاعتماده أو تجاهله.
nr-msg-article-not-saved = لم يُحفظ المقال: صحّح الحقول المشار إليها.
# Someone saved the article after the editor opened it. $who: their name, or nr-msg-article-colleague.
nr-msg-article-conflict = لم يُحفظ نصك: عدّل { $who } هذا المقال في { $time } بعد أن فتحته. نصك باقٍ أدناه؛ راجع نسخته ثم اضغط «حفظ» مجدداً لاعتماد نصك بدلاً منها.
nr-msg-article-colleague = زميل

# A comment's status.
nr-msg-comment-status-pending = بانتظار المراجعة
nr-msg-comment-status-approved = منشور
nr-msg-comment-status-spam = مزعج
nr-msg-comment-status-trash = في المهملات
# Moderation actions (buttons and the bulk menu).
nr-msg-comment-approve = موافقة
nr-msg-comment-unapprove = إلغاء الموافقة
nr-msg-comment-spam = مزعج
nr-msg-comment-trash = إلى المهملات
nr-msg-comment-restore = استعادة
nr-msg-comment-delete = حذف نهائي
# The moderation queue's tabs.
nr-msg-comments-tab-pending = بانتظار المراجعة
nr-msg-comments-tab-approved = منشورة
nr-msg-comments-tab-all = الكل
nr-msg-comments-tab-spam = مزعجة
nr-msg-comments-tab-trash = المهملات
# After a moderation action. $count: how many comments it changed.
nr-msg-comments-none-changed = لم يتغير شيء: الإجراء لا ينطبق على التعليقات المختارة.
nr-msg-comments-done = تم: { $count } تعليق.
# Editing a comment and replying to it ($max: the longest allowed, in characters).
nr-msg-comment-saved = حُفظ التعليق.
nr-msg-comment-replied = نُشر ردّك.
nr-msg-comment-name-invalid = الاسم مطلوب، حتى { $max } حرف، بلا رموز غير مقروءة.
nr-msg-comment-email-invalid = اكتب بريداً إلكترونياً صحيحاً أو اتركه فارغاً.
nr-msg-comment-website-invalid = اكتب عنواناً يبدأ بـ https:// أو اتركه فارغاً.
nr-msg-comment-body-invalid = النص مطلوب، حتى { $max } حرف، بلا رموز غير مقروءة.
nr-msg-comment-not-saved = لم يُحفظ التعليق: صحّح الحقول المشار إليها.
nr-msg-comment-reply-invalid = اكتب نص الرد (حتى { $max } حرف، بلا رموز غير مقروءة).
nr-msg-comment-reply-refused = لا يُرد على تعليق مزعج أو في المهملات؛ استعده أولاً.
# Erasing a commenter: the log (who, how) and the form's messages. $count: comments erased.
nr-msg-erase-by-cli = سطر الأوامر
nr-msg-erase-removed = حذف
nr-msg-erase-anonymized = إخفاء الهوية
nr-msg-erase-none = لا توجد تعليقات بهذا البريد.
nr-msg-erase-done = عولجت تعليقات هذا البريد: { $count }.
nr-msg-erase-email-invalid = اكتب البريد الإلكتروني للمعلِّق كما كتبه.
nr-msg-erase-mode-missing = اختر: حذف التعليقات أو إخفاء هوية كاتبها.
nr-msg-erase-unconfirmed = أكّد أنك تريد المسح؛ لا يمكن التراجع عنه.

# The media library ($megabytes, $width, $height: numbers as written; $format: AVIF, HEIC…).
nr-msg-media-too-large = الملف أكبر من الحد المسموح ({ $megabytes } ميغابايت).
nr-msg-media-too-many-pixels = أبعاد الصورة ({ $width }×{ $height }) أكبر من الحد المسموح؛ صغّرها ثم أعد رفعها.
nr-msg-media-not-an-image = هذا الملف ليس صورة بصيغة JPEG أو PNG أو GIF أو WebP.
nr-msg-media-unsupported = صور { $format } غير مدعومة بعد؛ احفظها بصيغة JPEG أو WebP ثم أعد رفعها.
nr-msg-media-unreadable = تعذّرت قراءة الصورة؛ قد يكون الملف تالفاً.
nr-msg-media-file-missing = اختر صورة لرفعها.
nr-msg-media-text-too-long = النص أطول من { $max } حرفاً.
nr-msg-media-in-use = هذه الصورة مستخدمة في مقالات؛ أزلها منها أولاً.

# Logging in ($minutes: how long logging in stays locked).
nr-msg-logged-out = خرجت من غرفة الأخبار.
nr-msg-login-missing = أدخل البريد الإلكتروني وكلمة المرور.
nr-msg-login-locked = محاولات دخول فاشلة كثيرة. أُوقف الدخول مؤقتاً؛ حاول مرة أخرى بعد { $minutes } دقيقة.
nr-msg-login-disabled = هذا الحساب موقوف. تواصل مع مدير الموقع.
nr-msg-login-failed = البريد الإلكتروني أو كلمة المرور غير صحيحة.
# Accounts: setup, passwords, the user list ($min: the shortest password, in characters).
nr-msg-account-name-invalid = اكتب الاسم (حتى ١٠٠ حرف).
nr-msg-account-email-invalid = اكتب بريداً إلكترونياً صحيحاً مثل name@example.com.
nr-msg-account-email-taken = هذا البريد مستخدم لحساب آخر.
nr-msg-password-too-short = كلمة المرور قصيرة: { $min } أحرف على الأقل.
nr-msg-password-too-long = كلمة المرور طويلة جداً.
nr-msg-password-mismatch = كلمتا المرور غير متطابقتين.
nr-msg-password-current-wrong = كلمة المرور الحالية غير صحيحة.
nr-msg-user-role-missing = اختر دوراً.
nr-msg-user-disable-self = لا يمكنك إيقاف حسابك أنت.
nr-msg-user-role-refused = لا يمكن تغيير الدور: اختر دوراً صحيحاً، ولا تسحب صلاحية الإدارة من نفسك.
nr-msg-user-unknown-action = إجراء غير معروف.

# Categories and tags ($slug: the slug as typed).
nr-msg-slug-malformed = الاسم اللطيف يتكون من حروف وأرقام تفصل بينها شرطات.
nr-msg-slug-reserved = «{ $slug }» كلمة محجوزة في الروابط؛ اختر غيرها.
nr-msg-category-name-invalid = اكتب اسم القسم (حتى ١٠٠ حرف).
nr-msg-category-parent-unknown = القسم الأب غير موجود.
nr-msg-category-parent-loop = لا يمكن نقل قسم إلى داخل نفسه أو أحد فروعه.
nr-msg-category-slug-taken = يوجد قسم بهذا الاسم اللطيف في المستوى نفسه.
nr-msg-category-reassign-unknown = اختر قسماً آخر موجوداً لنقل المقالات إليه.
nr-msg-category-has-articles = في هذا القسم مقالات: اختر قسماً تنتقل إليه قبل الحذف.
nr-msg-tag-name-invalid = اكتب اسم الوسم (حتى ١٠٠ حرف).
nr-msg-tag-slug-taken = يوجد وسم بهذا الاسم اللطيف؛ ادمجهما بدلاً من ذلك.
nr-msg-tag-merge-target = اختر وسماً آخر لدمج هذا الوسم فيه.
# The breaking-news ticker.
nr-msg-breaking-text-invalid = اكتب نص الخبر العاجل (حتى ٣٠٠ حرف).
nr-msg-breaking-start-invalid = اكتب وقت بدء صحيحاً.
nr-msg-breaking-end-invalid = اكتب وقت انتهاء صحيحاً.
nr-msg-breaking-end-before-start = وقت الانتهاء يجب أن يأتي بعد وقت البدء.
nr-msg-breaking-article-unknown = لا يوجد مقال بهذا الرقم.

# Admin API keys.
nr-msg-key-name-invalid = اكتب اسماً للتكامل (حتى ١٠٠ حرف)، مثل «تطبيق الهاتف» أو «وكالة الأنباء».
nr-msg-key-role-missing = اختر الدور الذي يعمل به المفتاح.
# Between the fields recorded with a change in the change log.
nr-msg-audit-detail-separator = ؛{ " " }
# Webhooks: the events a hook may ask for.
nr-msg-webhook-event-article-published = نُشر مقال
nr-msg-webhook-event-article-updated = عُدّل مقال منشور
nr-msg-webhook-event-article-unpublished = سُحب مقال من الموقع
nr-msg-webhook-event-comment-held = تعليق ينتظر المراجعة
nr-msg-webhook-event-breaking-added = خبر عاجل جديد
# Webhooks: the form's messages, and why a URL is refused ($host: the server's name as typed).
nr-msg-webhook-url-invalid = اكتب عنوان الخطاف (حتى ٢٠٠٠ حرف).
nr-msg-webhook-events-missing = اختر حدثاً واحداً على الأقل.
nr-msg-webhook-target-malformed = العنوان غير صالح.
nr-msg-webhook-target-scheme = يجب أن يبدأ العنوان بـ https:// أو http://.
nr-msg-webhook-target-no-host = العنوان بلا اسم خادم.
nr-msg-webhook-target-unknown-host = تعذّر العثور على الخادم «{ $host }».
nr-msg-webhook-target-private = العنوان يشير إلى شبكة داخلية أو إلى هذا الخادم نفسه؛ هذا غير مسموح.

# Mail to the moderators about a comment held for review. $title: the article's headline
# (shortened in the subject); $author: the commenter's name; $body: the comment;
# $url: the moderation queue. Blank lines in the body are kept.
nr-mail-held-comment-subject = تعليق بانتظار المراجعة: { $title }
nr-mail-held-comment-body =
    كتب «{ $author }» تعليقاً على «{ $title }»، وهو بانتظار المراجعة:

    { $body }

    راجعه في غرفة الأخبار:
    { $url }
