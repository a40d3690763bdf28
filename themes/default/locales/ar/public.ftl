# The public site's interface in Arabic: the reference every other language translates.
# Numbers given to a message (count, max…) are written in the site's digits and choose
# Arabic's plural forms (zero, one, two, few, many, other).

## base.html: on every page
skip-link = تخطَّ إلى المحتوى
breaking-news = أخبار عاجلة
breaking = عاجل
ticker-pause = إيقاف مؤقت
ticker-play = متابعة
search-site = ابحث في الموقع
search-placeholder = ابحث…
search-suggestions = اقتراحات البحث
sections = الأقسام
home = الرئيسية
powered-by = يعمل بنظام ناشر.

## home.html and lists of articles
top-stories = أبرز الأخبار
latest-news = آخر الأخبار
no-articles = لا توجد أخبار منشورة بعد.
no-articles-here = لا توجد أخبار منشورة هنا بعد.
page-number = الصفحة { $number }
list-kind-category = قسم
list-kind-tag = وسم
list-kind-author = الكاتب
list-description = أحدث أخبار { $name } في { $site }
author-description = مقالات { $name } في { $site }
comments-count = { $count ->
    [zero] لا تعليقات
    [one] تعليق واحد
    [two] تعليقان
    [few] { $count } تعليقات
    [many] { $count } تعليقاً
   *[other] { $count } تعليق
}
most-read = الأكثر قراءة
most-read-day = خلال { $hours } ساعة
most-read-week = خلال { $days } أيام
pages = الصفحات
previous = السابق
next = التالي
breadcrumbs = مسار التصفح

## article.html
published-on = نُشر في
hijri-date = الموافق { $date }
updated-on = آخر تحديث:
tags = الوسوم
about-author-and-publisher = عن الكاتب والناشر
author = الكاتب
all-articles-by = كل مقالات
about = عن
check-also = شاهد أيضاً
related-news = أخبار ذات صلة
comments = التعليقات
no-comments = لا توجد تعليقات بعد.
be-first-to-comment = كن أول من يعلّق.
comment-pages = صفحات التعليقات
older-comments = التعليقات الأقدم
newer-comments = التعليقات الأحدث
reply-to = ردّ على
leave-comment = اترك تعليقاً
cancel-reply = إلغاء الرد
comment-form-note = لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ
comment-field = التعليق
comment-hint = حتى { $max } حرف. النص يُنشر كما كُتب، والروابط تصبح قابلة للنقر.
name-field = الاسم
email-field = البريد الإلكتروني
website-field = الموقع الإلكتروني
leave-empty = اترك هذا الحقل فارغاً
send-comment = أرسل التعليق
comments-closed = التعليقات مغلقة على هذا المقال.
staff-reply = ردّ الموقع
comment-held = تعليقك بانتظار المراجعة، ولا يراه غيرك حتى يُوافق عليه.
reply = رد
reply-to-name = رد على { $name }

## Comment form: what the reader must correct (the site's answer to a posted comment)
comment-name-missing = اكتب اسمك.
comment-name-too-long = الاسم طويل: { $max } حرف على الأكثر.
comment-email-missing = اكتب بريدك الإلكتروني (لن يُنشر).
comment-email-malformed = اكتب عنوان بريد إلكتروني صحيحاً، مثل name@example.com.
comment-website-too-long = عنوان الموقع طويل: { $max } حرف على الأكثر.
comment-website-malformed = اكتب عنوان موقع يبدأ بـ https:// أو اترك الحقل فارغاً.
comment-body-missing = اكتب تعليقك.
comment-body-too-long = التعليق طويل: { $max } حرف على الأكثر.
comment-unreadable = في النص رموز غير مقروءة؛ احذفها ثم أعد الإرسال.
comment-check-field = تحقق من هذا الحقل.
comment-token-invalid = تعذّر التحقق من النموذج. راجع تعليقك ثم أرسله مجدداً.
comment-token-expired = انتهت صلاحية الصفحة منذ فتحتها. تعليقك باقٍ أدناه؛ أرسله مجدداً.
comment-too-fast = أُرسل التعليق بسرعة كبيرة. انتظر لحظة ثم أرسله مجدداً.
comment-trap-filled = تعذّر قبول التعليق. اترك الحقول المخفية فارغة ثم أعد الإرسال.
comment-fix-fields = لم يُرسل التعليق: صحّح الحقول المشار إليها.
comment-parent-gone = التعليق الذي ترد عليه لم يعد متاحاً. يمكنك إرسال تعليقك تعليقاً مستقلاً.
comment-rate-limited = أرسلت تعليقات كثيرة في وقت قصير. تعليقك باقٍ أدناه؛ أعد إرساله بعد { $minutes ->
    [one] دقيقة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}.

## search.html
search = البحث
search-for = بحث: { $query }
search-news = ابحث في الأخبار
search-options = خيارات البحث: القسم والتاريخ والترتيب
category = القسم
all-categories = كل الأقسام
date-from = من تاريخ
date-to = إلى تاريخ
sort = الترتيب
sort-relevance = الأكثر صلة
sort-newest = الأحدث
search-button = ابحث
search-count = { $count } نتيجة عن «{ $query }»
search-none = لا نتائج عن «{ $query }».
did-you-mean = هل تقصد:
did-you-mean-end = ؟
search-results = نتائج البحث
search-result-pages = صفحات النتائج
suggestions = اقتراحات
try-broader = جرّب بحثاً أوسع:
search-empty = اكتب كلمة أو أكثر للبحث عنها.
search-too-long = نص البحث طويل جداً؛ اختصره إلى { $max } حرف على الأكثر.
search-no-terms = لم نجد في نص البحث كلمات يمكن البحث عنها. جرّب كلمات أخرى.
search-too-deep = صفحات النتائج المتاحة محدودة؛ ضيّق البحث.
search-bad-date = التاريخ «{ $typed }» غير مفهوم؛ اكتبه مثل ٢٠٢٤-٠٥-٣١ أو ٣١/٥/٢٠٢٤.
search-unavailable = تعذّر البحث الآن؛ حاول بعد قليل.
search-rate-limited = بحثت كثيراً في وقت قصير؛ انتظر دقيقة ثم حاول مجدداً.
search-in-site = ابحث في { $site }

## 404.html and error.html
not-found-title = الصفحة غير موجودة
not-found-heading = عذراً، الصفحة غير موجودة
not-found-text = ربما نُقلت هذه الصفحة أو حُذفت، أو أن الرابط غير صحيح. جرّب البحث عمّا تريد:
back-home = العودة إلى الصفحة الرئيسية
error-not-found-title = الصفحة غير موجودة
error-not-found-text = لم نجد ما تبحث عنه. ربما نُقل أو حُذف، أو أن الرابط غير صحيح.
error-forbidden-title = غير مسموح
error-forbidden-text = ليست لديك صلاحية للقيام بهذا الإجراء.
error-csrf-title = انتهت صلاحية النموذج
error-csrf-text = لم نتمكن من التحقق من هذا الطلب. أعد تحميل الصفحة وحاول مرة أخرى.
error-login-required-title = سجّل الدخول أولاً
error-login-required-text = هذه الصفحة لفريق التحرير؛ سجّل الدخول للمتابعة.
error-method-not-allowed-title = طريقة الطلب غير مسموحة
error-method-not-allowed-text = لا يقبل هذا العنوان هذا النوع من الطلبات.
error-payload-too-large-title = الطلب أكبر من المسموح
error-payload-too-large-text = ما أرسلته أكبر من الحد المسموح به. اختصره وحاول مرة أخرى.
error-timeout-title = استغرق الطلب وقتاً طويلاً
error-timeout-text = لم يكتمل الطلب في الوقت المحدد. حاول مرة أخرى بعد قليل.
error-rate-limited-title = طلبات كثيرة في وقت قصير
error-rate-limited-text = أرسلت طلبات كثيرة في وقت قصير؛ انتظر قليلاً ثم حاول مجدداً.
error-unavailable-title = الخدمة غير متاحة الآن
error-unavailable-text = هذا الجزء من الموقع غير متاح الآن. حاول مرة أخرى بعد قليل.
error-overloaded-title = الموقع مزدحم الآن
error-overloaded-text = يصل إلى الموقع الآن عدد كبير من الطلبات. أعد المحاولة بعد لحظات.
error-internal-title = عذراً، حدث خطأ
error-internal-text = تعذّر إتمام الطلب الآن، ولم يتغير شيء. حاول مرة أخرى بعد قليل.
error-bad-request-title = تعذّر فهم الطلب
error-bad-request-text = الطلب غير صالح. تحقّق من الرابط أو النموذج وحاول مرة أخرى.
