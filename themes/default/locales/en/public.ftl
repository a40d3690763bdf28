# The public site's interface in English. Every id of locales/ar/public.ftl is here; one
# missing falls back to Arabic (and the theme's tests name it).

## base.html: on every page
skip-link = Skip to content
breaking-news = Breaking news
breaking = Breaking
ticker-pause = Pause
ticker-play = Play
search-site = Search the site
search-placeholder = Search…
search-suggestions = Search suggestions
sections = Sections
home = Home
powered-by = Powered by Nashir.

## home.html and lists of articles
top-stories = Top stories
latest-news = Latest news
no-articles = No published news yet.
no-articles-here = No published news here yet.
page-number = Page { $number }
list-kind-category = Section
list-kind-tag = Tag
list-kind-author = Author
list-description = The latest { $name } news on { $site }
author-description = Articles by { $name } on { $site }
comments-count = { $count ->
    [0] No comments
    [one] { $count } comment
   *[other] { $count } comments
}
most-read = Most read
most-read-day = Past { $hours } hours
most-read-week = Past { $days } days
pages = Pages
previous = Previous
next = Next
breadcrumbs = Breadcrumbs

## article.html
published-on = Published
hijri-date = Hijri date: { $date }
updated-on = Updated:
tags = Tags
about-author-and-publisher = About the author and the publisher
author = Author
all-articles-by = All articles by
about = About
check-also = See also
related-news = Related news
comments = Comments
no-comments = No comments yet.
be-first-to-comment = Be the first to comment.
comment-pages = Comment pages
older-comments = Older comments
newer-comments = Newer comments
reply-to = Reply to
leave-comment = Leave a comment
cancel-reply = Cancel reply
comment-form-note = Your email address will not be published. Required fields are marked
comment-field = Comment
comment-hint = Up to { $max } characters. The text is published as written, and links become clickable.
name-field = Name
email-field = Email
website-field = Website
leave-empty = Leave this field empty
send-comment = Post comment
comments-closed = Comments are closed on this article.
staff-reply = Staff reply
comment-held = Your comment is awaiting moderation; no one else sees it until it is approved.
reply = Reply
reply-to-name = Reply to { $name }

## Comment form: what the reader must correct (the site's answer to a posted comment)
comment-name-missing = Enter your name.
comment-name-too-long = The name is too long: { $max } characters at most.
comment-email-missing = Enter your email address (it will not be published).
comment-email-malformed = Enter a valid email address, such as name@example.com.
comment-website-too-long = The website address is too long: { $max } characters at most.
comment-website-malformed = Enter a website address starting with https://, or leave the field empty.
comment-body-missing = Write your comment.
comment-body-too-long = The comment is too long: { $max } characters at most.
comment-unreadable = The text holds unreadable characters; remove them and send again.
comment-check-field = Check this field.
comment-token-invalid = The form could not be verified. Check your comment and send it again.
comment-token-expired = The page expired after you opened it. Your comment is still below; send it again.
comment-too-fast = The comment was sent too quickly. Wait a moment and send it again.
comment-trap-filled = The comment could not be accepted. Leave the hidden fields empty and send again.
comment-fix-fields = The comment was not sent: correct the fields marked.
comment-parent-gone = The comment you are replying to is no longer available. You can post yours as a new comment.
comment-rate-limited = You sent many comments in a short time. Your comment is still below; send it again in { $minutes ->
    [one] a minute
   *[other] { $minutes } minutes
}.

## search.html
search = Search
search-for = Search: { $query }
search-news = Search the news
search-options = Search options: section, dates and order
category = Section
all-categories = All sections
date-from = From
date-to = To
sort = Order
sort-relevance = Most relevant
sort-newest = Newest
search-button = Search
search-count = { $count ->
    [one] { $count } result for “{ $query }”
   *[other] { $count } results for “{ $query }”
}
search-none = No results for “{ $query }”.
did-you-mean = Did you mean:
did-you-mean-end = ?
search-results = Search results
search-result-pages = Result pages
suggestions = Suggestions
try-broader = Try a broader search:
search-empty = Type one or more words to search for.
search-too-long = The search is too long; shorten it to { $max } characters at most.
search-no-terms = The search holds no words that can be searched for. Try other words.
search-too-deep = Only so many result pages are available; narrow the search.
search-bad-date = The date “{ $typed }” is not understood; write it like 2024-05-31 or 31/5/2024.
search-unavailable = Search is not available right now; try again shortly.
search-rate-limited = You searched a lot in a short time; wait a minute and try again.
search-in-site = Search { $site }

## 404.html and error.html
not-found-title = Page not found
not-found-heading = Sorry, this page was not found
not-found-text = The page may have moved or been deleted, or the link is wrong. Try searching for what you want:
back-home = Back to the home page
error-not-found-title = Page not found
error-not-found-text = We could not find what you are looking for. It may have moved or been deleted, or the link is wrong.
error-forbidden-title = Not allowed
error-forbidden-text = You do not have permission to do this.
error-csrf-title = The form has expired
error-csrf-text = We could not verify this request. Reload the page and try again.
error-login-required-title = Log in first
error-login-required-text = This page is for the editorial team; log in to continue.
error-method-not-allowed-title = Request method not allowed
error-method-not-allowed-text = This address does not accept this kind of request.
error-payload-too-large-title = The request is too large
error-payload-too-large-text = What you sent is larger than allowed. Shorten it and try again.
error-timeout-title = The request took too long
error-timeout-text = The request did not finish in time. Try again shortly.
error-rate-limited-title = Too many requests
error-rate-limited-text = You sent many requests in a short time; wait a little and try again.
error-unavailable-title = Service unavailable
error-unavailable-text = This part of the site is not available right now. Try again shortly.
error-overloaded-title = The site is busy
error-overloaded-text = The site is receiving a lot of requests right now. Try again in a moment.
error-internal-title = Sorry, something went wrong
error-internal-text = The request could not be completed, and nothing was changed. Try again shortly.
error-bad-request-title = The request was not understood
error-bad-request-text = The request is not valid. Check the link or the form and try again.
