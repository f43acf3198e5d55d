"""FHIR R4 in and out: the content as a Questionnaire, a record as a QuestionnaireResponse."""
