# Automatically generated from ui/open_event.ui by packaging/compile_forms.py - do not edit.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'open_event.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QDialog,
    QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QRadioButton,
    QSizePolicy, QSpacerItem, QStackedWidget, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_OpenEventDialog(object):
    def setupUi(self, OpenEventDialog):
        if not OpenEventDialog.objectName():
            OpenEventDialog.setObjectName(u"OpenEventDialog")
        OpenEventDialog.resize(640, 700)
        OpenEventDialog.setModal(True)
        self.mainLayout = QVBoxLayout(OpenEventDialog)
        self.mainLayout.setSpacing(14)
        self.mainLayout.setObjectName(u"mainLayout")
        self.mainLayout.setContentsMargins(28, 24, 28, 24)
        self.titleLabel = QLabel(OpenEventDialog)
        self.titleLabel.setObjectName(u"titleLabel")
        font = QFont()
        font.setPointSize(20)
        font.setBold(True)
        self.titleLabel.setFont(font)

        self.mainLayout.addWidget(self.titleLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setHorizontalSpacing(16)
        self.formLayout.setVerticalSpacing(12)
        self.nameLabel = QLabel(OpenEventDialog)
        self.nameLabel.setObjectName(u"nameLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(OpenEventDialog)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMinimumSize(QSize(0, 48))
        self.nameEdit.setMaxLength(200)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.currencyLabel = QLabel(OpenEventDialog)
        self.currencyLabel.setObjectName(u"currencyLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.currencyLabel)

        self.currencyCombo = QComboBox(OpenEventDialog)
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.addItem("")
        self.currencyCombo.setObjectName(u"currencyCombo")
        self.currencyCombo.setMinimumSize(QSize(0, 48))
        self.currencyCombo.setMaxVisibleItems(12)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.currencyCombo)


        self.mainLayout.addLayout(self.formLayout)

        self.floatGroup = QGroupBox(OpenEventDialog)
        self.floatGroup.setObjectName(u"floatGroup")
        self.floatLayout = QVBoxLayout(self.floatGroup)
        self.floatLayout.setSpacing(10)
        self.floatLayout.setObjectName(u"floatLayout")
        self.modeLayout = QHBoxLayout()
        self.modeLayout.setSpacing(24)
        self.modeLayout.setObjectName(u"modeLayout")
        self.totalRadio = QRadioButton(self.floatGroup)
        self.totalRadio.setObjectName(u"totalRadio")
        self.totalRadio.setMinimumSize(QSize(0, 40))
        self.totalRadio.setChecked(True)

        self.modeLayout.addWidget(self.totalRadio)

        self.denominationsRadio = QRadioButton(self.floatGroup)
        self.denominationsRadio.setObjectName(u"denominationsRadio")
        self.denominationsRadio.setMinimumSize(QSize(0, 40))

        self.modeLayout.addWidget(self.denominationsRadio)

        self.modeSpacer = QSpacerItem(0, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.modeLayout.addItem(self.modeSpacer)


        self.floatLayout.addLayout(self.modeLayout)

        self.floatStack = QStackedWidget(self.floatGroup)
        self.floatStack.setObjectName(u"floatStack")
        self.totalPage = QWidget()
        self.totalPage.setObjectName(u"totalPage")
        self.totalPageLayout = QVBoxLayout(self.totalPage)
        self.totalPageLayout.setObjectName(u"totalPageLayout")
        self.totalPageLayout.setContentsMargins(0, 0, 0, 0)
        self.floatEdit = QLineEdit(self.totalPage)
        self.floatEdit.setObjectName(u"floatEdit")
        self.floatEdit.setMinimumSize(QSize(0, 56))
        font1 = QFont()
        font1.setPointSize(18)
        self.floatEdit.setFont(font1)

        self.totalPageLayout.addWidget(self.floatEdit)

        self.totalPageSpacer = QSpacerItem(20, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.totalPageLayout.addItem(self.totalPageSpacer)

        self.floatStack.addWidget(self.totalPage)
        self.denominationsPage = QWidget()
        self.denominationsPage.setObjectName(u"denominationsPage")
        self.denominationsPageLayout = QVBoxLayout(self.denominationsPage)
        self.denominationsPageLayout.setObjectName(u"denominationsPageLayout")
        self.denominationsPageLayout.setContentsMargins(0, 0, 0, 0)
        self.denominationTable = QTableWidget(self.denominationsPage)
        if (self.denominationTable.columnCount() < 3):
            self.denominationTable.setColumnCount(3)
        __qtablewidgetitem = QTableWidgetItem()
        self.denominationTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.denominationTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.denominationTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        self.denominationTable.setObjectName(u"denominationTable")
        self.denominationTable.setMinimumSize(QSize(0, 220))
        self.denominationTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.denominationTable.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.denominationTable.setColumnCount(3)
        self.denominationTable.horizontalHeader().setStretchLastSection(True)
        self.denominationTable.verticalHeader().setVisible(False)
        self.denominationTable.verticalHeader().setDefaultSectionSize(48)

        self.denominationsPageLayout.addWidget(self.denominationTable)

        self.floatStack.addWidget(self.denominationsPage)

        self.floatLayout.addWidget(self.floatStack)

        self.floatTotalLabel = QLabel(self.floatGroup)
        self.floatTotalLabel.setObjectName(u"floatTotalLabel")
        font2 = QFont()
        font2.setPointSize(18)
        font2.setBold(True)
        self.floatTotalLabel.setFont(font2)
        self.floatTotalLabel.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.floatLayout.addWidget(self.floatTotalLabel)


        self.mainLayout.addWidget(self.floatGroup)

        self.notice = QLabel(OpenEventDialog)
        self.notice.setObjectName(u"notice")
        self.notice.setMinimumSize(QSize(0, 44))

        self.mainLayout.addWidget(self.notice)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setSpacing(12)
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.buttonSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.cancelButton = QPushButton(OpenEventDialog)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setMinimumSize(QSize(120, 56))
        self.cancelButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.cancelButton)

        self.openButton = QPushButton(OpenEventDialog)
        self.openButton.setObjectName(u"openButton")
        self.openButton.setMinimumSize(QSize(200, 56))
        font3 = QFont()
        font3.setPointSize(14)
        font3.setBold(True)
        self.openButton.setFont(font3)

        self.buttonLayout.addWidget(self.openButton)


        self.mainLayout.addLayout(self.buttonLayout)

#if QT_CONFIG(shortcut)
        self.nameLabel.setBuddy(self.nameEdit)
        self.currencyLabel.setBuddy(self.currencyCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.nameEdit, self.currencyCombo)
        QWidget.setTabOrder(self.currencyCombo, self.totalRadio)
        QWidget.setTabOrder(self.totalRadio, self.denominationsRadio)
        QWidget.setTabOrder(self.denominationsRadio, self.floatEdit)
        QWidget.setTabOrder(self.floatEdit, self.denominationTable)
        QWidget.setTabOrder(self.denominationTable, self.openButton)
        QWidget.setTabOrder(self.openButton, self.cancelButton)

        self.retranslateUi(OpenEventDialog)

        self.floatStack.setCurrentIndex(0)
        self.openButton.setDefault(True)

    # setupUi

    def retranslateUi(self, OpenEventDialog):
        OpenEventDialog.setWindowTitle(QCoreApplication.translate("OpenEventDialog", u"Open an event", None))
        self.titleLabel.setText(QCoreApplication.translate("OpenEventDialog", u"Open an event", None))
        self.nameLabel.setText(QCoreApplication.translate("OpenEventDialog", u"Event &name", None))
        self.nameEdit.setPlaceholderText(QCoreApplication.translate("OpenEventDialog", u"e.g. Friday at the Bowery", None))
        self.currencyLabel.setText(QCoreApplication.translate("OpenEventDialog", u"&Currency", None))
        self.currencyCombo.setItemText(0, QCoreApplication.translate("OpenEventDialog", u"USD \u2014 US dollar", None))
        self.currencyCombo.setItemText(1, QCoreApplication.translate("OpenEventDialog", u"EUR \u2014 Euro", None))
        self.currencyCombo.setItemText(2, QCoreApplication.translate("OpenEventDialog", u"GBP \u2014 British pound", None))
        self.currencyCombo.setItemText(3, QCoreApplication.translate("OpenEventDialog", u"CAD \u2014 Canadian dollar", None))
        self.currencyCombo.setItemText(4, QCoreApplication.translate("OpenEventDialog", u"AUD \u2014 Australian dollar", None))
        self.currencyCombo.setItemText(5, QCoreApplication.translate("OpenEventDialog", u"NZD \u2014 New Zealand dollar", None))
        self.currencyCombo.setItemText(6, QCoreApplication.translate("OpenEventDialog", u"JPY \u2014 Japanese yen", None))
        self.currencyCombo.setItemText(7, QCoreApplication.translate("OpenEventDialog", u"CHF \u2014 Swiss franc", None))
        self.currencyCombo.setItemText(8, QCoreApplication.translate("OpenEventDialog", u"SEK \u2014 Swedish krona", None))
        self.currencyCombo.setItemText(9, QCoreApplication.translate("OpenEventDialog", u"NOK \u2014 Norwegian krone", None))
        self.currencyCombo.setItemText(10, QCoreApplication.translate("OpenEventDialog", u"DKK \u2014 Danish krone", None))
        self.currencyCombo.setItemText(11, QCoreApplication.translate("OpenEventDialog", u"PLN \u2014 Polish z\u0142oty", None))
        self.currencyCombo.setItemText(12, QCoreApplication.translate("OpenEventDialog", u"CZK \u2014 Czech koruna", None))
        self.currencyCombo.setItemText(13, QCoreApplication.translate("OpenEventDialog", u"MXN \u2014 Mexican peso", None))
        self.currencyCombo.setItemText(14, QCoreApplication.translate("OpenEventDialog", u"BRL \u2014 Brazilian real", None))
        self.currencyCombo.setItemText(15, QCoreApplication.translate("OpenEventDialog", u"ZAR \u2014 South African rand", None))
        self.currencyCombo.setItemText(16, QCoreApplication.translate("OpenEventDialog", u"SGD \u2014 Singapore dollar", None))
        self.currencyCombo.setItemText(17, QCoreApplication.translate("OpenEventDialog", u"HKD \u2014 Hong Kong dollar", None))
        self.currencyCombo.setItemText(18, QCoreApplication.translate("OpenEventDialog", u"KRW \u2014 South Korean won", None))
        self.currencyCombo.setItemText(19, QCoreApplication.translate("OpenEventDialog", u"INR \u2014 Indian rupee", None))

        self.floatGroup.setTitle(QCoreApplication.translate("OpenEventDialog", u"Cash float in the drawer", None))
        self.totalRadio.setText(QCoreApplication.translate("OpenEventDialog", u"Enter the &total", None))
        self.denominationsRadio.setText(QCoreApplication.translate("OpenEventDialog", u"Count &notes and coins", None))
        self.floatEdit.setPlaceholderText(QCoreApplication.translate("OpenEventDialog", u"0.00", None))
        ___qtablewidgetitem = self.denominationTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("OpenEventDialog", u"Note or coin", None))
        ___qtablewidgetitem1 = self.denominationTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("OpenEventDialog", u"How many", None))
        ___qtablewidgetitem2 = self.denominationTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("OpenEventDialog", u"Amount", None))
        self.floatTotalLabel.setText(QCoreApplication.translate("OpenEventDialog", u"Float: 0.00", None))
        self.notice.setText("")
        self.cancelButton.setText(QCoreApplication.translate("OpenEventDialog", u"Cancel", None))
        self.openButton.setText(QCoreApplication.translate("OpenEventDialog", u"Open event", None))
    # retranslateUi

