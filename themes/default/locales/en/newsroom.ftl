# The newsroom's interface in English. Same message ids as locales/ar/newsroom.ftl (the
# reference); see the notes there on messages cut around links and names.

## Shared: the same words on several pages
nr-newsroom = Newsroom
nr-articles = Articles
nr-article = Article
nr-new-article = New article
nr-comments = Comments
nr-categories = Categories
nr-category = Category
nr-tags = Tags
nr-users = Users
nr-integrations = Integrations
nr-webhooks = Webhooks
nr-audit = Change log
nr-password = Password
nr-password-confirm-short = Confirm password
nr-name = Name
nr-slug = Slug
nr-email = Email
nr-commenter-email = Commenter's email
nr-title = Title
nr-body = Body
nr-text = Text
nr-caption = Caption
nr-credit = Credit
nr-description = Description
nr-status = Status
nr-author = Author
nr-role = Role
nr-key = Key
nr-time = Time
nr-action = Action
nr-actions = Actions
nr-all = All
nr-active = Active
nr-filter = Filter
nr-search = Search
nr-save = Save
nr-add = Add
nr-create = Create
nr-change = Change
nr-delete = Delete
nr-disable = Disable
nr-apply = Apply
nr-select = Select
nr-view = View
nr-view-on-site = View on site
nr-prev = Previous
nr-next = Next
nr-revisions = Revisions
nr-erase-title = Erase a commenter's data
# Between the items of a list written in a sentence (webhook events).
nr-list-separator = ,{ " " }

## base.html: the header of every newsroom page
nr-nav-media = Media
nr-nav-breaking = Breaking
nr-nav-site = View site
nr-logout = Log out
# The accessible name of the navigation's pending-comments counter.
nr-pending-count = { $count } awaiting moderation

## login.html
nr-login-title = Log in
nr-login-heading = Log in to the newsroom
nr-login-submit = Log in

## setup.html
nr-setup-title = Site setup
nr-setup-heading = First administrator account
# Followed by a link (nr-setup-done-login) and a full stop.
nr-setup-done = The administrator account has been created. You can now
nr-setup-done-login = log in
nr-setup-intro = This link can be used once, to create the site's first administrator account.
nr-password-hint = At least ten characters.
nr-password-confirm = Confirm password
nr-setup-submit = Create account

## password.html
nr-password-change = Change password
nr-password-done = Your password has been changed, and your other sessions have been signed out.
nr-password-errors = Your password was not changed: correct the fields marked below.
nr-password-current = Current password
nr-password-new = New password

## message.html
nr-back-to-newsroom = Back to the newsroom

## articles.html
nr-date = Date
nr-articles-views = Views
nr-articles-views-hint = Views in the last 7 days
nr-articles-views-7d = Views (7 days)
nr-articles-empty = No articles match this filter.

## editor.html
# The page title when editing; $title is the article's headline.
nr-editor-title-edit = Edit: { $title }
nr-editor-edit-article = Edit article
nr-editor-discard-restored = Discard restored text
nr-editor-preview-saved = Preview saved version
nr-editor-slug = URL slug
nr-editor-slug-hint = Generated from the title if left empty. The old URL keeps redirecting to the new one.
nr-editor-excerpt = Excerpt
nr-editor-excerpt-hint = Taken from the beginning of the body if left empty.
nr-editor-primary-category = Primary category
nr-editor-other-categories = Other categories
nr-editor-tags-hint = Separate tags with commas; new tags are created automatically.
nr-editor-publish-at = Publish date (site time)
nr-editor-publish-at-hint = To schedule: set a date in the future, then press “Schedule”.
nr-editor-preview = Preview
nr-editor-submit = Submit for review
nr-editor-publish = Publish now
nr-editor-schedule = Schedule
nr-editor-unpublish-confirm = Unpublish this article?
nr-editor-unpublish = Unpublish
nr-editor-featured = Featured image
nr-editor-featured-processing = Processing image…
nr-editor-featured-edit-alt = Edit alt text and caption
nr-editor-featured-add-alt = Add alt text (required before publishing)
nr-editor-featured-remove = Remove featured image
nr-editor-featured-pick = Choose from the media library
nr-editor-featured-save-first = Save the article first, then choose its featured image from the library.
nr-editor-comments = Reader comments
nr-editor-comments-open = Comments are open on this article.
nr-editor-comments-closed = Comments are closed on this article.
nr-editor-comments-queue = Comments on this article
nr-editor-comments-close = Close comments
nr-editor-comments-reopen = Open comments

## editor.html: the rich-text editor's strings (static/newsroom/editor.js reads them as JSON)
nr-editor-saving = Autosaving…
# $time is the time of day of the save (the script fills it in).
nr-editor-saved = Draft autosaved at { $time }
nr-editor-save-failed = Autosave failed
nr-editor-save-conflict = Autosave failed: someone else has edited this article; copy your changes and reload the page
nr-editor-save-session = Autosave failed: your session may have expired; log in again in another window
nr-editor-link-prompt = Link URL (https://… or mailto:…). Leave empty to remove the link:
nr-editor-link-invalid = Invalid link: only addresses starting with http://, https:// or mailto: are accepted
nr-editor-image-prompt = Image URL (starting with https://):
nr-editor-image-invalid = Invalid image URL: only addresses starting with https:// are accepted
nr-editor-alt-prompt = Alt text describing the image for people who can't see it:
nr-editor-no-files = Files can't be pasted here; use the “Image from URL” button.
nr-editor-toolbar = Formatting
# Toolbar buttons: the text shown, and (-label) the accessible name where it differs.
nr-editor-tool-paragraph = Paragraph
nr-editor-tool-heading = Heading
nr-editor-tool-heading-label = Heading
nr-editor-tool-bold = Bold
nr-editor-tool-italic = Italic
nr-editor-tool-link = Link
nr-editor-tool-quote = Quote
nr-editor-tool-ul = • List
nr-editor-tool-ul-label = Bulleted list
nr-editor-tool-ol = Numbered list
nr-editor-tool-ol-label = Numbered list
nr-editor-tool-image = Image
nr-editor-tool-image-label = Image from URL
nr-editor-tool-library = Library
nr-editor-tool-library-label = Image from library
nr-editor-library-search = Search the library
nr-editor-library-search-placeholder = Search the library…
nr-editor-library-cancel = Cancel
nr-editor-library-empty = No ready images in the library.
nr-editor-library-failed = Couldn't load the library.

## revisions.html
nr-revisions-title = Revisions: { $title }
# The heading around the article's title: before it, then after it.
nr-revisions-heading-before = Revisions of “
nr-revisions-heading-after = ”
nr-revisions-back = Back to editing
nr-revisions-version = Version
nr-revisions-saved-by = Saved by
nr-revisions-compare = Compare
nr-revisions-empty = No revisions yet: a revision is saved each time a published article is edited.

## revision.html
nr-revision-title = Compare revision
nr-revision-heading = Version { $version } compared with the current one ({ $current })
nr-revision-stale = The version was not restored: the article changed after you opened this page. Review the comparison and try again.
# Followed by the time of the save and a full stop.
nr-revision-saved-by = Saved by { $name } on
# The legend: <del>removed</del> removed-note<ins>added</ins> added-note
nr-revision-removed = Removed text
nr-revision-removed-note = was in this version, and{ " " }
nr-revision-added = added text
nr-revision-added-note = is in the current one.
nr-revision-all = All revisions
nr-revision-restore-confirm = Restore this version? The current one will be saved as a revision.
nr-revision-restore = Restore this version

## media.html
nr-media-library = Media library
# Around the article's title.
nr-media-pick-before = Choose the featured image for “
nr-media-pick-after = ”
nr-media-back-to-article = Back to the article
nr-media-upload = Upload an image
nr-media-file = Image (JPEG, PNG, GIF or WebP, up to { $max } MB)
nr-media-dropzone = Drag an image here or paste it
nr-media-alt-hint = Alt text (describes the image for people who can't see it)
nr-media-credit-hint = Credit (such as “Photo: …”)
nr-media-upload-submit = Upload
nr-media-search = Search titles, alt text and credits
nr-media-failed = Processing failed
# $progress is "done/total" sizes.
nr-media-processing = Processing ({ $progress })
nr-media-no-alt = No alt text
nr-media-make-featured = Set as featured image
nr-media-no-results = No images match your search.
nr-media-empty = No images in the library yet.
nr-media-pages = Library pages
nr-media-prev = Previous
nr-media-next = Next

## media_item.html
nr-media-saved = Image details saved.
nr-media-item-failed = This image couldn't be processed; upload it again in another format.
nr-media-item-processing = Preparing image sizes:
nr-media-pixels = px
nr-media-alt-required = Alt text (required before publishing an article that uses it)
nr-alt = Alt text
nr-media-used-in = Used in
nr-media-unused = No articles use this image.
nr-media-files = Files
nr-media-replace = Replace file
nr-media-replace-file = New file for this image (its texts stay, and links to its old files lead to the new ones)
nr-media-replace-submit = Replace
nr-media-delete-confirm = Permanently delete this image?
nr-media-delete = Delete image

## comments.html
nr-comments-tabs = Comment statuses
nr-comments-filter-article = Article:
nr-comments-clear-article = Remove article filter
nr-comments-filter-email = Email:
nr-comments-clear-email = Remove email filter
nr-comments-bulk = With selected
nr-comments-total = { $count ->
    [one] { $count } comment
   *[other] { $count } comments
}
nr-comments-comment = Comment
# The accessible name of a row's checkbox; $name is the comment's author.
nr-comments-select-one = Select comment by { $name }
nr-staff-reply = Site reply
# Followed by the name of the comment's parent author.
nr-in-reply-to = in reply to
nr-comments-view = View comment
nr-comments-delete-confirm = Permanently delete this comment?
nr-comments-edit-reply = Edit / reply
nr-comments-empty = No comments here.

## comment.html
nr-comment = Comment
nr-comment-back = Back to comments
nr-comment-view-on-site = View on site
# "On «article» at time, in reply to name": the pieces around the title, the time and the name.
nr-comment-on = On “
nr-comment-on-at = ” at
nr-comment-in-reply-to = , in reply to
nr-website = Website
nr-comment-save = Save changes
nr-comment-reply-title = Reply as the site
nr-comment-reply-hint = The reply is published at once and shown to readers marked “Site reply”; replying to a comment awaiting moderation approves it.
nr-comment-reply-body = Reply
nr-comment-reply-submit = Publish reply

## erase.html
nr-erase-intro = Applies to every comment written with this email address: deletes them, or keeps them under the name “Anonymous” with no email, website or IP address. The erasure is logged (who, when, how and how many comments) without the email address itself.
nr-erase-mode = What happens to their comments?
nr-erase-anonymize = Keep them as “Anonymous”
nr-erase-remove = Delete them (replies to them stay)
nr-erase-confirm = I understand that erasing can't be undone.
nr-erase-submit = Erase
nr-erase-log = Erasure log
nr-erase-by = By
nr-erase-method = Method

## categories.html
nr-categories-errors = The change was not saved: correct the fields marked below.
nr-categories-new = New category
nr-categories-parent = Parent category
nr-categories-top-level = (top level)
nr-categories-bar = Category bar
nr-categories-bar-intro = The bar at the top of the site has its own order, imported from the old site's menu:
nr-categories-bar-reset-confirm = Reset the bar to the top-level categories in their order?
nr-categories-bar-reset = Reset the bar to the top-level categories
nr-categories-tree = Category tree
nr-categories-article-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
nr-categories-reassign = Move its articles to
nr-categories-reassign-none = (category is empty)
nr-categories-delete-confirm = Delete this category?
nr-categories-delete = Delete category

## tags.html
nr-tag = Tag
nr-tags-rename = Rename
nr-tags-merge = Merge
nr-tags-merge-confirm = Merge this tag into the selected tag?
nr-tags-merge-into = Merge into
nr-tags-merge-into-choose = Merge into…
nr-tags-merge-submit = Merge

## breaking.html
nr-breaking-title = Breaking news
nr-breaking-errors = Not saved: correct the fields marked below.
nr-breaking-new = New breaking news item
nr-breaking-article-optional = Linked article ID (optional)
nr-breaking-article = Article ID
nr-breaking-starts = Starts
nr-breaking-expires = Ends
nr-breaking-position = Position
nr-breaking-add = Add to the ticker
nr-breaking-items = Items
nr-breaking-live = Live now
nr-breaking-expired = Ended
nr-breaking-not-started = Not started
nr-breaking-expire-now = End now
nr-breaking-delete-confirm = Delete this breaking news item?
nr-breaking-empty = No breaking news.

## users.html
nr-users-email = Email
nr-users-you = (you)
nr-users-disabled = Disabled
nr-users-no-password = No password
nr-users-active = Active
nr-users-disable-confirm = Disable this account and end its sessions?
nr-users-enable = Enable
nr-users-new = New user
nr-users-errors = The account was not created: correct the fields marked below.

## integrations.html
# Before and after the "(Admin API)" link; the last sentence ends with a link to the change log.
nr-integrations-intro = Keys for the administration API
nr-integrations-intro-keys = each key acts under its own name with the role you choose, and everything it changes is recorded in the
# Around the new key's name.
nr-integrations-created-before = Key “
nr-integrations-created-after = ” created. Copy it now: it won't be shown again, and only its fingerprint is kept.
nr-integrations-keys = Keys
nr-integrations-created = Created
nr-integrations-last-used = Last used
nr-integrations-never-used = Never used
nr-integrations-revoked-at = Revoked on { $when }
nr-integrations-activity = Activity
nr-integrations-revoke-confirm = Revoke this key? It stops working immediately.
nr-integrations-revoke = Revoke
nr-integrations-empty = No keys yet.
nr-integrations-new = New key
nr-integrations-role = Acts as
nr-integrations-create = Create key

## webhooks.html
nr-webhooks-heading = Webhooks
# Before and after the signature header shown in code.
nr-webhooks-intro = The site sends a signed POST request
nr-webhooks-intro-retries = to each URL here when the selected events happen, and retries on failure for a day and a half at growing intervals.
# Followed by the webhook's address, a full stop and nr-webhooks-added-secret.
nr-webhooks-added = Webhook added:
nr-webhooks-added-secret = Signing secret (copy it now; it won't be shown again):
nr-webhooks-secret = Secret
nr-webhooks-url = URL
nr-webhooks-events = Events
nr-webhooks-added-at = Added
nr-webhooks-disabled-since = Disabled since { $when }
nr-webhooks-log = Delivery log
nr-webhooks-disable-confirm = Disable this webhook?
nr-webhooks-empty = No webhooks yet.
nr-webhooks-new = New webhook

## webhook.html
nr-webhook-title = Webhook delivery log
# Followed by the webhook's address.
nr-webhook-heading = Delivery log for
nr-webhook-all = All webhooks
nr-webhook-id = ID
nr-webhook-event = Event
nr-webhook-attempts = Attempts
nr-webhook-last-response = Last response
nr-webhook-last-error = Last error
nr-webhook-delivered = Delivered
nr-webhook-given-up = Gave up
nr-webhook-retrying = Retrying
nr-webhook-waiting = Waiting
nr-webhook-empty = Nothing sent yet.

## audit.html
nr-audit-filter = Filter the log
nr-audit-person = Person
nr-audit-contains = Contains
nr-audit-from = From
nr-audit-to = To
nr-audit-total = { $count ->
    [one] { $count } change.
   *[other] { $count } changes.
}
nr-audit-who = Who
nr-audit-what = What
nr-audit-subject = On
nr-audit-details = Details
nr-audit-result = Result
# After the name of who made a change through an API key.
nr-audit-by-key = (API key)
nr-audit-empty = No changes.
nr-pages = Pages
nr-newer = Newer
nr-older = Older

## Newsroom messages from the server (validation, notices)
## Written by the Rust handlers (crates/nashir-web/src/newsroom/, webhooks.rs).

# Roles (menus, the header, the user and key lists).
nr-msg-role-contributor = Contributor
nr-msg-role-author = Author
nr-msg-role-editor = Editor
nr-msg-role-admin = Administrator

# An article's state.
nr-msg-state-draft = Draft
nr-msg-state-pending = Pending review
nr-msg-state-scheduled = Scheduled
nr-msg-state-published = Published
nr-msg-state-unpublished = Unpublished

# The article editor: a field's problem ($max: the longest allowed, in characters).
nr-msg-article-title-missing = Enter a title for the article.
nr-msg-article-title-too-long = The title is too long: { $max } characters at most.
nr-msg-article-slug-malformed = A slug is made of letters and numbers separated by hyphens (up to 80 characters).
nr-msg-article-body-too-long = The body is longer than allowed.
nr-msg-article-excerpt-too-long = The excerpt is too long: { $max } characters at most.
nr-msg-article-category-unknown = Choose an existing category.
nr-msg-article-other-category-unknown = One of the selected categories doesn't exist.
nr-msg-article-author-unknown = Choose an existing author.
nr-msg-article-publish-at-unreadable = Enter a valid publish date.
nr-msg-article-publish-at-missing = Set a date for the scheduled publication.
nr-msg-article-publish-at-past = The scheduled publish date must be in the future.
nr-msg-article-featured-alt-missing = Add alt text to the featured image before publishing (on the image's page in the media library).
# In the article list, for an article without a title.
nr-msg-article-untitled = (no title)
# The editor's notices. $state: the article's state (nr-msg-state-…); $time: date and time.
nr-msg-article-saved = Article saved ({ $state }).
nr-msg-article-restored-new = Unsaved text from a previous session has been restored.
nr-msg-article-restored = Restored unsaved text you wrote on { $time }. Save the article to keep it, or discard it.
nr-msg-article-not-saved = The article was not saved: correct the fields marked below.
# Someone saved the article after the editor opened it. $who: their name, or nr-msg-article-colleague.
nr-msg-article-conflict = Your text was not saved: { $who } edited this article on { $time }, after you opened it. Your text is kept below; review their version, then press “Save” again to replace it with yours.
nr-msg-article-colleague = a colleague

# A comment's status.
nr-msg-comment-status-pending = Pending
nr-msg-comment-status-approved = Approved
nr-msg-comment-status-spam = Spam
nr-msg-comment-status-trash = Trash
# Moderation actions (buttons and the bulk menu).
nr-msg-comment-approve = Approve
nr-msg-comment-unapprove = Unapprove
nr-msg-comment-spam = Spam
nr-msg-comment-trash = Trash
nr-msg-comment-restore = Restore
nr-msg-comment-delete = Delete permanently
# The moderation queue's tabs.
nr-msg-comments-tab-pending = Pending
nr-msg-comments-tab-approved = Approved
nr-msg-comments-tab-all = All
nr-msg-comments-tab-spam = Spam
nr-msg-comments-tab-trash = Trash
# After a moderation action. $count: how many comments it changed.
nr-msg-comments-none-changed = Nothing changed: the action doesn't apply to the selected comments.
nr-msg-comments-done = Comments updated: { $count }.
# Editing a comment and replying to it ($max: the longest allowed, in characters).
nr-msg-comment-saved = Comment saved.
nr-msg-comment-replied = Your reply has been published.
nr-msg-comment-name-invalid = A name is required: up to { $max } characters, with no unreadable characters.
nr-msg-comment-email-invalid = Enter a valid email address, or leave it empty.
nr-msg-comment-website-invalid = Enter a URL starting with https://, or leave it empty.
nr-msg-comment-body-invalid = The text is required: up to { $max } characters, with no unreadable characters.
nr-msg-comment-not-saved = The comment was not saved: correct the fields marked below.
nr-msg-comment-reply-invalid = Write your reply (up to { $max } characters, with no unreadable characters).
nr-msg-comment-reply-refused = You can't reply to a comment that is spam or in the trash; restore it first.
# Erasing a commenter: the log (who, how) and the form's messages. $count: comments erased.
nr-msg-erase-by-cli = Command line
nr-msg-erase-removed = Deleted
nr-msg-erase-anonymized = Anonymized
nr-msg-erase-none = There are no comments with this email address.
nr-msg-erase-done = Comments with this email address erased: { $count }.
nr-msg-erase-email-invalid = Enter the commenter's email address exactly as they wrote it.
nr-msg-erase-mode-missing = Choose whether to delete the comments or anonymize their author.
nr-msg-erase-unconfirmed = Confirm that you want to erase; this can't be undone.

# The media library ($megabytes, $width, $height: numbers as written; $format: AVIF, HEIC…).
nr-msg-media-too-large = The file is larger than the limit ({ $megabytes } MB).
nr-msg-media-too-many-pixels = The image's dimensions ({ $width }×{ $height }) are larger than the limit; resize it, then upload it again.
nr-msg-media-not-an-image = This file isn't a JPEG, PNG, GIF or WebP image.
nr-msg-media-unsupported = { $format } images aren't supported yet; save it as JPEG or WebP, then upload it again.
nr-msg-media-unreadable = The image couldn't be read; the file may be damaged.
nr-msg-media-file-missing = Choose an image to upload.
nr-msg-media-text-too-long = The text is longer than { $max } characters.
nr-msg-media-in-use = This image is used in articles; remove it from them first.

# Logging in ($minutes: how long logging in stays locked).
nr-msg-logged-out = You have logged out of the newsroom.
nr-msg-login-missing = Enter your email address and password.
nr-msg-login-locked = Too many failed login attempts. Logging in is paused; try again in { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
}
nr-msg-login-disabled = This account has been disabled. Contact the site administrator.
nr-msg-login-failed = Incorrect email address or password.
# Accounts: setup, passwords, the user list ($min: the shortest password, in characters).
nr-msg-account-name-invalid = Enter a name (up to 100 characters).
nr-msg-account-email-invalid = Enter a valid email address, such as name@example.com.
nr-msg-account-email-taken = This email address is already used by another account.
nr-msg-password-too-short = The password is too short: at least { $min } characters.
nr-msg-password-too-long = The password is too long.
nr-msg-password-mismatch = The passwords don't match.
nr-msg-password-current-wrong = The current password is incorrect.
nr-msg-user-role-missing = Choose a role.
nr-msg-user-disable-self = You can't disable your own account.
nr-msg-user-role-refused = The role can't be changed: choose a valid role, and don't remove your own administrator rights.
nr-msg-user-unknown-action = Unknown action.

# Categories and tags ($slug: the slug as typed).
nr-msg-slug-malformed = A slug is made of letters and numbers separated by hyphens.
nr-msg-slug-reserved = “{ $slug }” is reserved in the site's URLs; choose another slug.
nr-msg-category-name-invalid = Enter the category's name (up to 100 characters).
nr-msg-category-parent-unknown = The parent category doesn't exist.
nr-msg-category-parent-loop = A category can't be moved into itself or one of its subcategories.
nr-msg-category-slug-taken = A category with this slug already exists at the same level.
nr-msg-category-reassign-unknown = Choose another existing category to move the articles to.
nr-msg-category-has-articles = This category has articles: choose a category to move them to before deleting it.
nr-msg-tag-name-invalid = Enter the tag's name (up to 100 characters).
nr-msg-tag-slug-taken = A tag with this slug already exists; merge the two tags instead.
nr-msg-tag-merge-target = Choose another tag to merge this tag into.
# The breaking-news ticker.
nr-msg-breaking-text-invalid = Enter the breaking news text (up to 300 characters).
nr-msg-breaking-start-invalid = Enter a valid start time.
nr-msg-breaking-end-invalid = Enter a valid end time.
nr-msg-breaking-end-before-start = The end time must be after the start time.
nr-msg-breaking-article-unknown = There is no article with this ID.

# Admin API keys.
nr-msg-key-name-invalid = Enter a name for the integration (up to 100 characters), such as “Mobile app” or “News agency”.
nr-msg-key-role-missing = Choose the role the key acts as.
# Between the fields recorded with a change in the change log.
nr-msg-audit-detail-separator = ;{ " " }
# Webhooks: the events a hook may ask for.
nr-msg-webhook-event-article-published = Article published
nr-msg-webhook-event-article-updated = Published article updated
nr-msg-webhook-event-article-unpublished = Article unpublished
nr-msg-webhook-event-comment-held = Comment held for moderation
nr-msg-webhook-event-breaking-added = New breaking news
# Webhooks: the form's messages, and why a URL is refused ($host: the server's name as typed).
nr-msg-webhook-url-invalid = Enter the webhook's URL (up to 2,000 characters).
nr-msg-webhook-events-missing = Choose at least one event.
nr-msg-webhook-target-malformed = The URL isn't valid.
nr-msg-webhook-target-scheme = The URL must start with https:// or http://.
nr-msg-webhook-target-no-host = The URL has no server name.
nr-msg-webhook-target-unknown-host = The server “{ $host }” couldn't be found.
nr-msg-webhook-target-private = The URL points to a private network or to this server itself, which isn't allowed.

# Mail to the moderators about a comment held for review. $title: the article's headline
# (shortened in the subject); $author: the commenter's name; $body: the comment;
# $url: the moderation queue. Blank lines in the body are kept.
nr-mail-held-comment-subject = Comment awaiting review: { $title }
nr-mail-held-comment-body =
    { $author } commented on “{ $title }”, and the comment is awaiting review:

    { $body }

    Review it in the newsroom:
    { $url }
