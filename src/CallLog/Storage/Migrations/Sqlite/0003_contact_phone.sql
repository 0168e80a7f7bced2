-- Contacts get a phone number of their own (E.164), written by PUT /api/v1/contacts/{id} and searched
-- by GET /api/v1/contacts?search=. Calls keep their own phone_number: the number dialled or calling.
ALTER TABLE contacts ADD COLUMN phone_number TEXT;
