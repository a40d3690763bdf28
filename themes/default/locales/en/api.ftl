# The APIs' problem texts in English: the `detail` of an application/problem+json answer,
# read by the developers of an integration. Field names, header names and JSON values
# (Idempotency-Key, version, draft…) stay as they are: clients send them so.
# A problem about one field is written after the field's name ("author_id: …").

## The Admin API key (the Authorization header)
api-key-required = Send the integration key in the header Authorization: Bearer …
api-key-invalid = The integration key is invalid.
api-key-revoked = This integration key has been revoked.

## What the key's role may not do
api-forbidden-edit = This key's role may not edit this article.
api-forbidden-publish = This key's role may not publish, schedule or unpublish this article.
api-forbidden-state = This key's role may not put the article in this state.
api-forbidden-action = Unknown action.
api-forbidden-author = This key's role may not choose another author.
api-forbidden-breaking = Only editor keys manage breaking news.

## The request
# $error: the JSON reader's explanation, in English.
api-bad-json = The request body is not valid JSON for this request: { $error }
api-idempotency-key-too-long = Idempotency-Key is longer than 200 characters.
api-idempotency-key-reused = This Idempotency-Key was used for another request.
api-request-in-progress = The first request with this Idempotency-Key is still running; retry shortly.

## Articles
# $status: the status as sent.
api-status-unknown = Unknown status “{ $status }”: use draft, pending, published, scheduled or unpublished.
api-version-on-create = version is not sent on create.
# $version: the article's current version number, as written in the JSON.
api-stale-version = The article changed since you read it (current version { $version }): read it again, then retry.
# After "author_id: ".
api-author-unknown = No author has this id.
# After "featured: ".
api-featured-alt-missing = Add alt text to the featured image before publishing.

## Images
api-image-body-empty = The request body is empty: send the image file.

## Breaking news (after "starts_at: " and "expires_at: ")
api-breaking-start-unreadable = Unreadable start time (RFC 3339).
api-breaking-end-unreadable = Unreadable end time (RFC 3339).

## The view beacon (POST /views)
api-view-body = Send only the article's id in the request body.
